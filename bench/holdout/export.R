# Writes the holdout suite: 15 classic series from R's datasets package and the forecast package
# (none of them in ../shared/bench-suite or datasets/), as CSV files with real times, plus the
# suite.tsv that ../shared/bench-suite/run.sh reads. Usage (Debian: apt-get install r-base-core
# r-cran-forecast):
#   Rscript bench/holdout/export.R /tmp/holdout
#   cp ../shared/bench-suite/run.sh /tmp/holdout/ && /tmp/holdout/run.sh   # from the project root
suppressMessages(library(forecast))
root <- commandArgs(trailingOnly = TRUE)[1]
out <- file.path(root, "data")
dir.create(out, recursive = TRUE, showWarnings = FALSE)
ym <- function(x) { t <- time(x); y <- floor(t + 1e-6); m <- round((t - y) * frequency(x)) ; list(y = y, m = m) }
monthly <- function(x, name, col = "value") {
  p <- ym(x); df <- data.frame(month = sprintf("%d-%02d", p$y, p$m + 1), v = as.numeric(x)); names(df)[2] <- col
  write.csv(df, file.path(out, paste0(name, ".csv")), row.names = FALSE, na = "")
}
quarterly <- function(x, name, col = "value") {
  p <- ym(x); df <- data.frame(quarter = sprintf("%d-%02d-01", p$y, p$m * 3 + 1), v = as.numeric(x)); names(df)[2] <- col
  write.csv(df, file.path(out, paste0(name, ".csv")), row.names = FALSE, na = "")
}
yearly <- function(x, name, col = "value") {
  df <- data.frame(year = sprintf("%d", floor(time(x) + 1e-6)), v = as.numeric(x)); names(df)[2] <- col
  write.csv(df, file.path(out, paste0(name, ".csv")), row.names = FALSE, na = "")
}
bdays <- function(start, n) { d <- seq(as.Date(start), by = "day", length.out = n * 2); d <- d[!(format(d, "%u") %in% c("6", "7"))]; d[1:n] }
quarterly(JohnsonJohnson, "johnson-johnson", "earnings")
quarterly(austres, "austres", "residents")
quarterly(woolyrnq, "woolyrnq", "tonnes")
quarterly(presidents, "presidents", "approval")
monthly(gas, "gas-australia", "production")
p <- ym(mdeaths)
write.csv(rbind(data.frame(sex = "male", month = sprintf("%d-%02d", p$y, p$m + 1), deaths = as.numeric(mdeaths)),
                data.frame(sex = "female", month = sprintf("%d-%02d", p$y, p$m + 1), deaths = as.numeric(fdeaths))),
          file.path(out, "uk-lung-deaths.csv"), row.names = FALSE)
yearly(lynx, "lynx", "trapped")
yearly(nhtemp, "nhtemp", "temperature")
yearly(discoveries, "discoveries", "count")
yearly(sunspot.year, "sunspot-year", "sunspots")
# Tree rings from 6000 BC: rnncast reads four-digit years, so the 7,980 years are numbered from 1000.
write.csv(data.frame(year = 999 + seq_along(treering), width = as.numeric(treering)), file.path(out, "treering.csv"), row.names = FALSE)
d <- bdays("1991-07-01", nrow(EuStockMarkets))
eu <- do.call(rbind, lapply(colnames(EuStockMarkets), function(c) data.frame(index = c, date = format(d), close = as.numeric(EuStockMarkets[, c]))))
write.csv(eu, file.path(out, "eu-stock-markets.csv"), row.names = FALSE)
write.csv(data.frame(date = format(bdays("1985-01-01", length(gold))), price = as.numeric(gold)), file.path(out, "gold.csv"), row.names = FALSE, na = "")
write.csv(data.frame(minute = format(seq(as.POSIXct("2024-01-01 00:00", tz = "UTC"), by = "min", length.out = length(WWWusage)), "%Y-%m-%dT%H:%M"), users = as.numeric(WWWusage)), file.path(out, "wwwusage.csv"), row.names = FALSE)
write.csv(data.frame(day = format(seq(as.Date("2024-01-01"), by = "day", length.out = length(BJsales))), sales = as.numeric(BJsales)), file.path(out, "bjsales.csv"), row.names = FALSE)
# name, file, horizon, season, flags: the bench suite's conventions (72 monthly points: horizon 12).
writeLines(c(
  "name\tfile\th\tm\tflags",
  "johnson-johnson\tdata/johnson-johnson.csv\t8\t4\t",
  "austres\tdata/austres.csv\t8\t4\t",
  "woolyrnq\tdata/woolyrnq.csv\t8\t4\t",
  "presidents\tdata/presidents.csv\t8\t4\t",
  "gas-australia\tdata/gas-australia.csv\t18\t12\t",
  "uk-lung-deaths\tdata/uk-lung-deaths.csv\t12\t12\t--id sex",
  "lynx\tdata/lynx.csv\t6\t1\t",
  "nhtemp\tdata/nhtemp.csv\t6\t1\t",
  "discoveries\tdata/discoveries.csv\t6\t1\t",
  "sunspot-year\tdata/sunspot-year.csv\t6\t1\t",
  "treering\tdata/treering.csv\t6\t1\t",
  "eu-stock-markets\tdata/eu-stock-markets.csv\t14\t5\t--id index",
  "gold\tdata/gold.csv\t14\t5\t",
  "wwwusage\tdata/wwwusage.csv\t10\t1\t",
  "bjsales\tdata/bjsales.csv\t10\t1\t"
), file.path(root, "suite.tsv"))
