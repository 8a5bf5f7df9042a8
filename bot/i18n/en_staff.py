"""English texts of the center-staff features. Keys must match ko_staff.py."""

TEXTS: dict[str, str] = {
    "staff.only": "Only center staff can use this command.",
    "staff.only_button": "Only center staff can use this button.",
}
