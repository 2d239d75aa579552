-- CrossCheck: example queries for analysts, on the tables by name (run `crosscheck run` first).
--   ./crosscheck sql --config sample-data/crosscheck.yaml -f notebooks/analyst-queries.sql
-- crosscheck.*          every table (cleaned, quarantine, bronze, meta, screening): for data engineers and risk officers
-- crosscheck_analyst.*  the pseudonymised copies only (person_token, no names, no accounts): for analysts

-- 1. Data quality per validation run: rows read and where they went (the books always balance).
SELECT run_id, family, rows_read, inserted, updated, unchanged, superseded, quarantined, duplicates, warnings, balanced
FROM crosscheck.metrics
ORDER BY recorded_at DESC, family;

-- 2. Which checks fail most (per family, latest run first).
SELECT run_id, family, check_name, violations
FROM (SELECT run_id, family, recorded_at, explode(check_violations) AS (check_name, violations)
      FROM crosscheck.metrics)
ORDER BY recorded_at DESC, violations DESC;

-- 3. Completeness of each column (share of non-empty values) in the latest run.
SELECT family, column_name, round(share, 4) AS completeness
FROM (SELECT family, explode(completeness) AS (column_name, share)
      FROM crosscheck.metrics
      WHERE run_id = (SELECT max_by(run_id, recorded_at) FROM crosscheck.metrics))
ORDER BY family, completeness;

-- 4. Benefit payments per scheme and month (pseudonymised table: no identities).
SELECT scheme, date_format(period_start, 'yyyy-MM') AS month, count(*) AS payments,
       count(DISTINCT person_token) AS persons, sum(amount) AS total
FROM crosscheck_analyst.benefit_payment
GROUP BY scheme, date_format(period_start, 'yyyy-MM')
ORDER BY month, scheme;

-- 5. Joining departments on the pseudonym: pensioners who still pay contributions.
SELECT p.scheme, count(DISTINCT p.person_token) AS persons
FROM crosscheck_analyst.benefit_payment p
JOIN crosscheck_analyst.contribution c
  ON c.person_token = p.person_token AND c.contribution_month = trunc(p.period_start, 'MM')
WHERE p.scheme = 'employee_pension' AND c.scheme = 'employee_pension'
GROUP BY p.scheme;

-- 6. Age at death distribution from the registry copy (deaths only). The analyst copy keeps a five-year birth
--    band and the death month (see docs/design.md, "Personal data"), so the age is approximate (to 5 years).
SELECT floor((year(death_month) - cast(substr(birth_year_band, 1, 4) AS INT) - 2) / 10) * 10 AS age_band,
       count(*) AS deaths
FROM crosscheck_analyst.civil_registry
WHERE record_status = 'deceased'
GROUP BY 1 ORDER BY 1;
