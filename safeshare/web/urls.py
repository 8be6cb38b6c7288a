"""The web application's routes, in the ``web`` namespace."""

from safeshare.web.urls_account import urlpatterns as account_patterns
from safeshare.web.urls_casework import urlpatterns as casework_patterns
from safeshare.web.urls_decisions import urlpatterns as decision_patterns
from safeshare.web.urls_disclosures import urlpatterns as disclosure_patterns
from safeshare.web.urls_linkage import urlpatterns as linkage_patterns
from safeshare.web.urls_linkage_search import urlpatterns as linkage_search_patterns
from safeshare.web.urls_mash import urlpatterns as mash_patterns
from safeshare.web.urls_oversight import urlpatterns as oversight_patterns
from safeshare.web.urls_workday import urlpatterns as workday_patterns

app_name = "web"
urlpatterns = [
    *account_patterns,
    *workday_patterns,
    *casework_patterns,
    *decision_patterns,
    *oversight_patterns,
    *mash_patterns,
    *linkage_patterns,
    *linkage_search_patterns,
    *disclosure_patterns,
]
