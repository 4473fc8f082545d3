// Writes datasets/store-sales.csv: two years of a synthetic store's daily unit sales with the
// covariates a retailer knows ahead — planned promotions and public holidays — and 14 rows past the
// last sale with those covariates filled and the sales empty: the future rows that
// `--future-features promo,holiday` reads. Deterministic (its own seeded generator, no
// dependencies): `node datasets/make-store-sales.mjs` rewrites the same bytes.
//
// sales(t) = level(t) · weekday(t) · year(t) · (1 + 0.35·promo(t)) · (1 − 0.45·holiday(t)) · noise(t)
//   level: 120 units a day, growing 8% a year; weekday: Saturday busiest, Sunday quietest;
//   year: a December peak and a February low; noise: log-normal, about 6%; rounded to units.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DAY = 86_400_000;
const start = Date.UTC(2022, 0, 1);
const end = Date.UTC(2023, 11, 31); // the last observed day
const ahead = 14;

// mulberry32: a small, well-known 32-bit generator; the seed fixes every draw.
let state = 20240101;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal() {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

// US federal holidays observed 2022-2024 up to the last future row (a store's quiet days).
const holidays = new Set([
  '2022-01-17', '2022-02-21', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-10-10', '2022-11-11', '2022-11-24', '2022-12-26',
  '2023-01-02', '2023-01-16', '2023-02-20', '2023-05-29', '2023-06-19', '2023-07-04', '2023-09-04', '2023-10-09', '2023-11-10', '2023-11-23', '2023-12-25',
  '2024-01-01',
]);

// Promotions: campaigns of 3 to 7 days, every 2 to 5 weeks, planned ahead (one runs 2024-01-05 to 01-09).
const promo = new Set();
for (let day = start + 10 * DAY; day <= end; ) {
  const length = 3 + Math.floor(random() * 5);
  for (let k = 0; k < length; k++) promo.add(day + k * DAY);
  day += (14 + Math.floor(random() * 22)) * DAY;
}
for (let k = 0; k < 5; k++) promo.add(Date.UTC(2024, 0, 5) + k * DAY);

const weekday = [0.78, 0.9, 0.92, 0.95, 1.02, 1.25, 1.32]; // Sunday .. Saturday
const lines = ['date,sales,promo,holiday'];
for (let day = start; day <= end + ahead * DAY; day += DAY) {
  const date = new Date(day).toISOString().slice(0, 10);
  const isPromo = promo.has(day) ? 1 : 0;
  const isHoliday = holidays.has(date) ? 1 : 0;
  const years = (day - start) / (365.25 * DAY);
  const dayOfYear = (day - Date.UTC(new Date(day).getUTCFullYear(), 0, 1)) / DAY;
  const season = 1 + 0.12 * Math.cos((2 * Math.PI * (dayOfYear - 350)) / 365.25) + 0.05 * Math.cos((4 * Math.PI * (dayOfYear - 350)) / 365.25);
  const expected = 120 * Math.pow(1.08, years) * weekday[new Date(day).getUTCDay()] * season * (1 + 0.35 * isPromo) * (1 - 0.45 * isHoliday);
  const noise = Math.exp(0.06 * normal());
  const sales = day <= end ? String(Math.round(expected * noise)) : '';
  lines.push(`${date},${sales},${isPromo},${isHoliday}`);
}
const path = join(dirname(fileURLToPath(import.meta.url)), 'store-sales.csv');
writeFileSync(path, `${lines.join('\n')}\n`);
console.log(`${path}: ${lines.length - 1} rows (${lines.length - 1 - ahead} observed, ${ahead} future)`);
