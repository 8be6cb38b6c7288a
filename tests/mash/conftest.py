from tests.mash.helpers import mash as mash

__all__ = ["mash"]
