"""Norwegian Bokmål, as Språkrådet recommends: day before month, "kl." before the time."""

DATE_FORMAT = "j. F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j. F Y \k\l. H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
# A no-break space, so that "12 345" never wraps between the groups.
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
