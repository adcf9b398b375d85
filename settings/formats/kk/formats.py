"""Kazakh date and number formats (Django ships none for kk, so pages fell back to "Жел. 4, 2026"
and printed decimals with a point, "418.33", where a Russian page printed "418,33").

Written as Kazakh documents write dates: "2026 жылғы 4 желтоқсан". Cyrillic letters are not
format characters, so they pass through as text. Numbers as in Russian (and by the Kazakh
standard): a decimal comma and a non-breaking space between thousands.
"""

DATE_FORMAT = "Y жылғы j F"
DATETIME_FORMAT = "Y жылғы j F, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "Y жылғы F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
