"""Kazakh date formats (Django ships none for kk, so pages fell back to "Жел. 4, 2026").

Written as Kazakh documents write dates: "2026 жылғы 4 желтоқсан". Cyrillic letters are not
format characters, so they pass through as text.
"""

DATE_FORMAT = "Y жылғы j F"
DATETIME_FORMAT = "Y жылғы j F, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "Y жылғы F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
