"""A practitioner's working day: the inbox of waiting work, notifications, and the timers and
e-mail that tell people work has arrived (above ``access``: it reads what each actor may see)."""
