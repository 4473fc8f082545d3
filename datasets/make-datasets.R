# Regenerates the bundled CSV files in datasets/ from R's built-in `datasets`
# package, so every file here can be traced back to a published series.
#
#   apt-get install -y r-base-core && Rscript datasets/make-datasets.R
#
# Output conventions (what rnncast's ingestion expects):
#   - header row, comma-separated, "\n" line endings, nothing quoted
#   - times: monthly "YYYY-MM" (read as month starts), quarterly and yearly as
#     the ISO date of the period's first day ("YYYY-MM-01", "YYYY-01-01"),
#     daily "YYYY-MM-DD". A bare year such as 1875 would be mistaken for an
#     epoch number, hence the full date for yearly series.
#   - numbers written plainly (no scientific notation), missing values empty
#
# The script is deterministic: running it twice gives byte-identical files.

options(scipen = 999, stringsAsFactors = FALSE)

# Write next to this script, whatever the working directory is.
script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "datasets"
})

write_csv <- function(df, name, expected_rows) {
  stopifnot(nrow(df) == expected_rows)
  path <- file.path(script_dir, name)
  write.table(df, path, sep = ",", row.names = FALSE, col.names = TRUE,
              quote = FALSE, na = "", eol = "\n", fileEncoding = "UTF-8")
  # Read it back so a formatting slip (a stray "e+", a quote) fails loudly here.
  back <- read.csv(path, colClasses = "character", na.strings = character(0))
  stopifnot(nrow(back) == expected_rows, !any(grepl("[eE][+-]|\"", unlist(back))))
  cat(sprintf("%-30s %5d rows  %s .. %s\n", name, nrow(df), df[[1]][1], df[[1]][nrow(df)]))
  invisible(df)
}

# Year and period index of every observation of a regular ts. The small offset
# guards against floating-point time values like 1960.9999999.
ts_year <- function(x) as.integer(floor(time(x) + 1e-6))
ts_cycle <- function(x) as.integer(cycle(x))

monthly_times <- function(x) {
  stopifnot(frequency(x) == 12)
  sprintf("%04d-%02d", ts_year(x), ts_cycle(x))
}

quarterly_times <- function(x) {
  stopifnot(frequency(x) == 4)
  sprintf("%04d-%02d-01", ts_year(x), (ts_cycle(x) - 1L) * 3L + 1L)
}

yearly_times <- function(x) {
  stopifnot(frequency(x) == 1)
  sprintf("%04d-01-01", ts_year(x))
}

# n consecutive business days (Monday to Friday, no holiday calendar) from start.
business_days <- function(start, n) {
  days <- seq(as.Date(start), by = "day", length.out = ceiling(n * 7 / 5) + 7)
  wday <- as.POSIXlt(days)$wday            # 0 = Sunday .. 6 = Saturday
  format(days[wday >= 1 & wday <= 5][seq_len(n)], "%Y-%m-%d")
}

# ---- monthly, univariate --------------------------------------------------

write_csv(data.frame(month = monthly_times(AirPassengers),
                     passengers = as.numeric(AirPassengers)),
          "air-passengers.csv", 144)

write_csv(data.frame(month = monthly_times(sunspot.month),
                     sunspots = as.numeric(sunspot.month)),
          "sunspots.csv", length(sunspot.month))

write_csv(data.frame(month = monthly_times(nottem),
                     temperature = as.numeric(nottem)),
          "nottingham-temperature.csv", 240)

write_csv(data.frame(month = monthly_times(co2), co2 = as.numeric(co2)),
          "co2.csv", 468)

write_csv(data.frame(month = monthly_times(USAccDeaths),
                     deaths = as.numeric(USAccDeaths)),
          "us-accidental-deaths.csv", 72)

# ---- monthly, target with covariates ---------------------------------------

write_csv(data.frame(month = monthly_times(Seatbelts),
                     drivers = as.numeric(Seatbelts[, "drivers"]),
                     PetrolPrice = as.numeric(Seatbelts[, "PetrolPrice"]),
                     law = as.integer(Seatbelts[, "law"])),
          "seatbelts.csv", 192)

# ---- business days, long format (several series with an id column) ---------

# EuStockMarkets carries no calendar: it is a ts of frequency 260 starting at
# 1991.496 in "business time" (weekends and holidays dropped). We assign
# consecutive Monday-to-Friday dates from Monday 1991-07-01, ignoring holidays,
# so the dates are a synthetic but regular business-day calendar.
stopifnot(nrow(EuStockMarkets) == 1860, frequency(EuStockMarkets) == 260)
eu_dates <- business_days("1991-07-01", nrow(EuStockMarkets))
eu <- do.call(rbind, lapply(colnames(EuStockMarkets), function(index) {
  data.frame(date = eu_dates, index = index,
             close = as.numeric(EuStockMarkets[, index]))
}))
write_csv(eu, "eu-stock-markets.csv", 4 * 1860)

# ---- daily, with missing values ----------------------------------------------

aq_dates <- format(as.Date(sprintf("1973-%02d-%02d", airquality$Month, airquality$Day)),
                   "%Y-%m-%d")
stopifnot(!anyNA(aq_dates), !is.unsorted(aq_dates, strictly = TRUE),
          all(diff(as.Date(aq_dates)) == 1))
write_csv(data.frame(date = aq_dates,
                     ozone = airquality$Ozone,
                     solar_r = airquality$Solar.R,
                     wind = airquality$Wind,
                     temp = airquality$Temp),
          "airquality.csv", 153)

# ---- quarterly and yearly --------------------------------------------------------

write_csv(data.frame(quarter = quarterly_times(UKgas), gas = as.numeric(UKgas)),
          "uk-gas.csv", 108)

write_csv(data.frame(year = yearly_times(LakeHuron), level = as.numeric(LakeHuron)),
          "lake-huron.csv", 98)

write_csv(data.frame(year = yearly_times(Nile), flow = as.numeric(Nile)),
          "nile.csv", 100)
