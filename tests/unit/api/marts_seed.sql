-- A small published warehouse for the API and web tests, in the `marts` contract shape.
-- Values are typed from real disclosures (Senate eFD via senate-stock-watcher, House Clerk PTRs,
-- congress-legislators); the amendment pair, the late flag and the open-ended band are arranged so
-- each behaviour the pages show has at least one row. Loaded by the tests' conftest fixtures.

CREATE SCHEMA IF NOT EXISTS marts;

CREATE TABLE marts.dim_members (
    bioguide_id VARCHAR PRIMARY KEY,
    full_name VARCHAR,
    first_name VARCHAR,
    last_name VARCHAR,
    party VARCHAR,
    state VARCHAR,
    district INTEGER,
    chamber VARCHAR,
    committees VARCHAR[],
    subcommittees VARCHAR[],
    is_current BOOLEAN,
    first_served DATE,
    last_served DATE
);

CREATE TABLE marts.fct_filings (
    filing_id VARCHAR PRIMARY KEY,
    source VARCHAR,
    chamber VARCHAR,
    bioguide_id VARCHAR,
    filer_name VARCHAR,
    state_district VARCHAR,
    filed_date DATE,
    status VARCHAR,
    amendment_number INTEGER,
    amends_filing_id VARCHAR,
    transaction_count INTEGER,
    source_url VARCHAR,
    parser_version VARCHAR,
    landing_path VARCHAR
);

CREATE TABLE marts.fct_trades (
    trade_id VARCHAR PRIMARY KEY,
    bioguide_id VARCHAR,
    member_name VARCHAR,
    party VARCHAR,
    state VARCHAR,
    district INTEGER,
    chamber VARCHAR,
    filing_id VARCHAR,
    owner VARCHAR,
    ticker VARCHAR,
    asset_name VARCHAR,
    asset_type VARCHAR,
    tx_type VARCHAR,
    tx_date DATE,
    notified_date DATE,
    filed_date DATE,
    amount_min BIGINT,
    amount_max BIGINT,
    lag_days INTEGER,
    is_late BOOLEAN,
    amended_by VARCHAR,
    is_current BOOLEAN,
    source VARCHAR,
    source_url VARCHAR,
    page INTEGER,
    row_position INTEGER,
    parser_version VARCHAR,
    landing_path VARCHAR
);

INSERT INTO marts.dim_members VALUES
    ('C001035', 'Susan M. Collins', 'Susan', 'Collins', 'Republican', 'ME', NULL, 'senate',
     ['Senate Committee on Appropriations'],
     ['Department of Defense', 'Legislative Branch'], TRUE, DATE '1997-01-07', NULL),
    ('W000805', 'Mark R. Warner', 'Mark', 'Warner', 'Democrat', 'VA', NULL, 'senate',
     ['Senate Committee on Banking, Housing, and Urban Affairs', 'Senate Committee on Finance'],
     ['Securities, Insurance, and Investment', 'Health Care'], TRUE, DATE '2009-01-06', NULL),
    ('W000779', 'Ron Wyden', 'Ron', 'Wyden', 'Democrat', 'OR', NULL, 'senate',
     ['Senate Committee on Energy and Natural Resources', 'Senate Committee on Finance'],
     ['Water and Power'], TRUE, DATE '1981-01-05', NULL),
    ('R000307', 'Pat Roberts', 'Pat', 'Roberts', 'Republican', 'KS', NULL, 'senate',
     [], [], FALSE, DATE '1981-01-05', DATE '2021-01-03'),
    ('P000197', 'Nancy Pelosi', 'Nancy', 'Pelosi', 'Democrat', 'CA', 11, 'house',
     [], [], TRUE, DATE '1987-06-02', NULL),
    ('C001120', 'Dan Crenshaw', 'Dan', 'Crenshaw', 'Republican', 'TX', 2, 'house',
     ['House Committee on Energy and Commerce'], ['Health'], TRUE, DATE '2019-01-03', NULL),
    ('G000583', 'Josh Gottheimer', 'Josh', 'Gottheimer', 'Democrat', 'NJ', 5, 'house',
     ['House Permanent Select Committee on Intelligence'], [], TRUE, DATE '2017-01-03', NULL),
    ('T000278', 'Tommy Tuberville', 'Tommy', 'Tuberville', 'Republican', 'AL', NULL, 'senate',
     ['Senate Committee on Armed Services'], [], TRUE, DATE '2021-01-03', NULL);

INSERT INTO marts.fct_filings
SELECT f.filing_id, f.source, f.chamber, f.bioguide_id, f.filer_name, f.state_district,
       f.filed_date, 'parsed', f.amendment_number, f.amends_filing_id, 0,
       CASE f.source
           WHEN 'senate_efd'
               THEN 'https://efdsearch.senate.gov/search/view/ptr/' || f.filing_id || '/'
           ELSE 'https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/'
               || year(f.filed_date) || '/' || f.filing_id || '.pdf'
       END,
       'fixture-1', f.source || '/' || f.filing_id
FROM (VALUES
    ('6784a9a9-d791-451f-816e-e317349aace7', 'senate_efd', 'senate', 'C001035', 'Susan M Collins', NULL, DATE '2019-09-05', NULL, NULL),
    ('e0a3239b-193d-47db-971a-9f55c134f18a', 'senate_efd', 'senate', 'C001035', 'Susan M Collins', NULL, DATE '2019-06-10', NULL, NULL),
    ('bb3e64d2-1a93-46ac-ac1d-47508fbb199f', 'senate_efd', 'senate', 'C001035', 'Susan M Collins', NULL, DATE '2019-01-15', NULL, NULL),
    ('c008dcd7-7a5e-46ee-9806-cf60a08a23dc', 'senate_efd', 'senate', 'W000805', 'Mark R Warner', NULL, DATE '2019-03-15', NULL, NULL),
    ('d94f6136-fd12-4105-910f-6f52c771faee', 'senate_efd', 'senate', 'W000805', 'Mark R Warner', NULL, DATE '2017-12-01', NULL, NULL),
    ('a0010f4a-c31a-4824-8b6d-6399b3ccb6f0', 'senate_efd', 'senate', 'W000779', 'Ron L Wyden', NULL, DATE '2020-12-01', NULL, NULL),
    ('4e013e86-56bf-4a73-90ea-d7badba4ac9b', 'senate_efd', 'senate', 'W000779', 'Ron L Wyden', NULL, DATE '2020-11-12', NULL, NULL),
    ('b7e581e7-f154-4dc7-890d-1c827c88ba7a', 'senate_efd', 'senate', 'R000307', 'Pat Roberts', NULL, DATE '2020-12-10', NULL, NULL),
    ('bc6c5872-1fdd-4e99-857e-08b4ec2c85c8', 'senate_efd', 'senate', NULL, 'David A Perdue , Jr', NULL, DATE '2020-05-01', NULL, NULL),
    ('20022260', 'house_clerk', 'house', 'P000197', 'Hon. Nancy Pelosi', 'CA12', DATE '2023-01-04', NULL, NULL),
    ('20019331', 'house_clerk', 'house', 'P000197', 'Hon. Nancy Pelosi', 'CA12', DATE '2021-07-30', NULL, NULL),
    ('20020101', 'house_clerk', 'house', 'C001120', 'Hon. Daniel Crenshaw', 'TX02', DATE '2022-03-01', NULL, NULL),
    ('20021889', 'house_clerk', 'house', 'C001120', 'Hon. Daniel Crenshaw', 'TX02', DATE '2022-11-10', NULL, NULL),
    ('20021950', 'house_clerk', 'house', 'C001120', 'Hon. Daniel Crenshaw', 'TX02', DATE '2022-11-28', 1, '20021889'),
    ('20033327', 'house_clerk', 'house', 'G000583', 'Hon. Josh Gottheimer', 'NJ05', DATE '2026-05-05', NULL, NULL)
) AS f(filing_id, source, chamber, bioguide_id, filer_name, state_district, filed_date,
       amendment_number, amends_filing_id);

-- Member columns come from dim_members (or the filing's filer name when the filer is unresolved)
-- so the fixture cannot contradict itself.
INSERT INTO marts.fct_trades
SELECT t.trade_id, f.bioguide_id, coalesce(m.full_name, f.filer_name), m.party,
       coalesce(m.state, t.unresolved_state), m.district, f.chamber, f.filing_id,
       t.owner, t.ticker, t.asset_name, t.asset_type, t.tx_type, t.tx_date, t.tx_date,
       f.filed_date, t.amount_min, t.amount_max,
       datediff('day', t.tx_date, f.filed_date), datediff('day', t.tx_date, f.filed_date) > 45,
       t.amended_by, t.amended_by IS NULL, f.source, f.source_url, t.page, t.row_position,
       'fixture-1', f.landing_path
FROM (VALUES
    ('t01', '6784a9a9-d791-451f-816e-e317349aace7', 'SP', 'CVET', 'Covetrus, Inc.', 'ST', 'S', DATE '2019-08-15', 1001, 15000, NULL, 1, 0, NULL),
    ('t02', '6784a9a9-d791-451f-816e-e317349aace7', 'SP', 'AKAM', 'Akamai Technologies, Inc.', 'ST', 'P', DATE '2019-08-20', 15001, 50000, NULL, 1, 1, NULL),
    ('t03', 'e0a3239b-193d-47db-971a-9f55c134f18a', 'SP', 'RHT', 'Red Hat, Inc.', 'ST', 'S', DATE '2019-05-17', 50001, 100000, NULL, 1, 0, NULL),
    ('t04', 'e0a3239b-193d-47db-971a-9f55c134f18a', 'SP', 'WEX', 'WEX Inc.', 'ST', 'P', DATE '2019-05-21', 15001, 50000, NULL, 1, 1, NULL),
    ('t05', 'bb3e64d2-1a93-46ac-ac1d-47508fbb199f', 'SP', 'LIN', 'Linde plc', 'ST', 'S', DATE '2018-12-21', 15001, 50000, NULL, 1, 0, NULL),
    ('t06', 'bb3e64d2-1a93-46ac-ac1d-47508fbb199f', 'SP', 'FB', 'Facebook, Inc.', 'ST', 'S', DATE '2018-12-21', 1001, 15000, NULL, 1, 1, NULL),
    ('t07', 'c008dcd7-7a5e-46ee-9806-cf60a08a23dc', NULL, 'ZAYO', 'Zayo Group Holdings, Inc.', 'ST', 'S', DATE '2019-02-20', 250001, 500000, NULL, 1, 0, NULL),
    ('t08', 'c008dcd7-7a5e-46ee-9806-cf60a08a23dc', NULL, 'ZAYO', 'Zayo Group Holdings, Inc.', 'ST', 'S (partial)', DATE '2019-02-19', 500001, 1000000, NULL, 1, 1, NULL),
    ('t09', 'c008dcd7-7a5e-46ee-9806-cf60a08a23dc', NULL, 'CHTR', 'Charter Communications, Inc.', 'ST', 'S', DATE '2019-02-19', 1000001, 5000000, NULL, 1, 2, NULL),
    ('t10', 'd94f6136-fd12-4105-910f-6f52c771faee', NULL, 'HALO', 'Halozyme Therapeutics, Inc.', 'ST', 'S', DATE '2017-11-06', 500001, 1000000, NULL, 1, 0, NULL),
    ('t11', 'a0010f4a-c31a-4824-8b6d-6399b3ccb6f0', 'SP', 'BYND', 'Beyond Meat, Inc.', 'ST', 'S', DATE '2020-11-10', 50001, 100000, NULL, 1, 0, NULL),
    ('t12', '4e013e86-56bf-4a73-90ea-d7badba4ac9b', 'DC', 'NVDA', 'NVIDIA Corporation', 'ST', 'P', DATE '2020-10-16', 1001, 15000, NULL, 1, 0, NULL),
    ('t13', '4e013e86-56bf-4a73-90ea-d7badba4ac9b', 'DC', 'WDAY', 'Workday, Inc.', 'ST', 'P', DATE '2020-10-16', 1001, 15000, NULL, 1, 1, NULL),
    ('t14', 'b7e581e7-f154-4dc7-890d-1c827c88ba7a', 'SP', 'BA', 'The Boeing Company', 'ST', 'P', DATE '2020-11-16', 15001, 50000, NULL, 1, 0, NULL),
    ('t15', 'b7e581e7-f154-4dc7-890d-1c827c88ba7a', 'SP', 'V', 'Visa Inc.', 'ST', 'P', DATE '2020-11-16', 15001, 50000, NULL, 1, 1, NULL),
    ('t16', 'b7e581e7-f154-4dc7-890d-1c827c88ba7a', 'SP', 'COST', 'Costco Wholesale Corporation', 'ST', 'P', DATE '2020-11-24', 15001, 50000, NULL, 1, 2, NULL),
    ('t17', 'b7e581e7-f154-4dc7-890d-1c827c88ba7a', 'SP', 'COST', 'Costco Wholesale Corporation', 'ST', 'S', DATE '2020-11-04', 15001, 50000, NULL, 1, 3, NULL),
    ('t18', 'b7e581e7-f154-4dc7-890d-1c827c88ba7a', 'SP', 'NVDA', 'NVIDIA Corporation', 'ST', 'S', DATE '2020-11-04', 15001, 50000, NULL, 1, 4, NULL),
    ('t19', 'bc6c5872-1fdd-4e99-857e-08b4ec2c85c8', 'JT', 'DOW', 'Dow Inc.', 'ST', 'S', DATE '2020-04-16', 1001, 15000, NULL, 1, 0, 'GA'),
    ('t20', 'bc6c5872-1fdd-4e99-857e-08b4ec2c85c8', 'JT', 'EEM', 'iShares MSCI Emerging Markets ETF', 'EF', 'S', DATE '2020-04-16', 1001, 15000, NULL, 1, 1, 'GA'),
    ('t21', '20022260', 'SP', NULL, 'Alliance Bernstein Holding L.P. Units', 'OL', 'S (partial)', DATE '2022-12-28', 500001, 1000000, NULL, 1, 0, NULL),
    ('t22', '20022260', 'SP', 'GOOGL', 'Alphabet Inc. - Class A', 'ST', 'S (partial)', DATE '2022-12-28', 500001, 1000000, NULL, 1, 1, NULL),
    ('t23', '20022260', 'SP', 'GOOGL', 'Alphabet Inc. - Class A', 'ST', 'S (partial)', DATE '2022-12-20', 500001, 1000000, NULL, 1, 2, NULL),
    ('t24', '20019331', 'SP', 'NVDA', 'NVIDIA Corporation', 'ST', 'P', DATE '2021-07-23', 500001, 1000000, NULL, 1, 0, NULL),
    ('t25', '20019331', 'SP', 'NVDA', 'NVIDIA Corporation', 'OP', 'P', DATE '2021-07-23', 250001, 500000, NULL, 1, 1, NULL),
    ('t26', '20019331', 'SP', NULL, 'REOF XXII, LLC', 'AB', 'P', DATE '2021-07-13', 1000001, NULL, NULL, 1, 2, NULL),
    ('t27', '20019331', 'SP', 'WORK', 'Slack Technologies, Inc. Class A', 'ST', 'E', DATE '2021-07-22', 15, 15, NULL, 2, 3, NULL),
    ('t28', '20020101', NULL, 'RIVN', 'Rivian Automotive, Inc. - Class A', 'ST', 'P', DATE '2021-12-14', 1001, 15000, NULL, 1, 0, NULL),
    ('t29', '20021889', NULL, 'AMZN', 'Amazon.com, Inc.', 'ST', 'P', DATE '2022-10-25', 1001, 15000, '20021950', 1, 0, NULL),
    ('t30', '20021950', NULL, 'AMZN', 'Amazon.com, Inc.', 'ST', 'P', DATE '2022-10-25', 15001, 50000, NULL, 1, 0, NULL),
    ('t31', '20021950', NULL, 'USO', 'United States Oil Fund', 'EF', 'P', DATE '2022-10-25', 1001, 15000, NULL, 1, 1, NULL),
    ('t32', '20033327', 'JT', 'AMD', 'Advanced Micro Devices, Inc.', 'ST', 'P', DATE '2026-04-27', 1001, 15000, NULL, 1, 0, NULL),
    ('t33', '20033327', 'JT', 'ALLY', 'Ally Financial Inc. Common Stock', 'ST', 'S', DATE '2026-04-09', 1001, 15000, NULL, 1, 1, NULL),
    ('t34', '20033327', 'JT', 'CBZ', 'CBIZ, Inc. Common Stock', 'ST', 'P', DATE '2026-04-06', 1001, 15000, NULL, 1, 2, NULL),
    ('t35', '20033327', 'JT', 'F', 'Ford Motor Company Common Stock', 'ST', 'S', DATE '2026-04-09', 15001, 50000, NULL, 1, 3, NULL)
) AS t(trade_id, filing_id, owner, ticker, asset_name, asset_type, tx_type, tx_date,
       amount_min, amount_max, amended_by, page, row_position, unresolved_state)
JOIN marts.fct_filings AS f USING (filing_id)
LEFT JOIN marts.dim_members AS m ON m.bioguide_id = f.bioguide_id;

UPDATE marts.fct_filings AS f
SET transaction_count = (SELECT count(*) FROM marts.fct_trades AS t WHERE t.filing_id = f.filing_id);

-- fct_filings' amendment links, as the real mart has them (appended so the inserts above stay
-- positional): Crenshaw's 20021950 amends 20021889.
ALTER TABLE marts.fct_filings ADD COLUMN amended_by_filing_id VARCHAR;
ALTER TABLE marts.fct_filings ADD COLUMN is_current BOOLEAN DEFAULT TRUE;
UPDATE marts.fct_filings SET amended_by_filing_id = '20021950', is_current = FALSE
WHERE filing_id = '20021889';
UPDATE marts.fct_filings SET status = 'needs_ocr' WHERE filing_id = '20020101';

-- Committee seats (congress-legislators committee-membership-current), committees and
-- subcommittees, with the titles the source gives.
CREATE TABLE marts.bridge_member_committees AS
SELECT * FROM (VALUES
    ('C001035', 'SSAP', 'Senate Committee on Appropriations', NULL, 'senate', NULL, 3),
    ('C001035', 'SSAP02', 'Department of Defense', 'SSAP', 'senate', NULL, 2),
    ('W000805', 'SSBK', 'Senate Committee on Banking, Housing, and Urban Affairs', NULL, 'senate', NULL, 4),
    ('W000805', 'SSBK04', 'Securities, Insurance, and Investment', 'SSBK', 'senate', 'Ranking Member', 1),
    ('W000805', 'SSFI', 'Senate Committee on Finance', NULL, 'senate', NULL, 5),
    ('W000779', 'SSFI', 'Senate Committee on Finance', NULL, 'senate', 'Ranking Member', 1),
    ('C001120', 'HSIF', 'House Committee on Energy and Commerce', NULL, 'house', NULL, 20),
    ('C001120', 'HSIF14', 'Health', 'HSIF', 'house', NULL, 9),
    ('T000278', 'SSAS', 'Senate Committee on Armed Services', NULL, 'senate', NULL, 12)
) AS b(bioguide_id, committee_id, committee_name, parent_committee_id, chamber, title, "rank");

-- Daily bars for one ticker (NVDA closes around Wyden's and Pelosi's trades), the shape of
-- marts.fct_daily_bars; and one member_performance row.
CREATE TABLE marts.fct_daily_bars AS
SELECT 'NVDA' AS ticker, d::DATE AS bar_date, 130.0 + i AS open, 132.0 + i AS high,
       129.0 + i AS low, 131.0 + i AS close, 1000000.0 AS volume, 131.0 + i AS vwap,
       5000::BIGINT AS transactions, TRUE AS adjusted
FROM (SELECT d, row_number() OVER (ORDER BY d) AS i
      FROM range(DATE '2020-10-01', DATE '2021-08-01', INTERVAL 7 DAY) AS r(d));

CREATE TABLE marts.member_performance AS
SELECT 'P000197' AS bioguide_id, 5 AS trades, 2 AS priced_trades, 1500000.0 AS est_dollar_flow,
       0.031 AS median_excess_30d, 0.052 AS median_excess_90d, 0.5 AS share_beat_benchmark_30d,
       'SPY' AS benchmark;

-- The raw layer's logs, as the loaders and write-audit-publish write them.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE raw.load_log (
    source VARCHAR NOT NULL, dataset VARCHAR NOT NULL, partition VARCHAR NOT NULL,
    rows BIGINT NOT NULL, quarantined BIGINT NOT NULL, landing_paths VARCHAR[],
    started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL
);
INSERT INTO raw.load_log VALUES
    ('house_clerk', 'ptr_pdfs', '2023', 6, 1, [], now() - INTERVAL 3 MINUTE, now() - INTERVAL 2 MINUTE),
    ('house_clerk', 'fd_index', '2023', 120, 0, [], now() - INTERVAL 4 MINUTE, now() - INTERVAL 4 MINUTE),
    ('senate_efd', 'ptr_pages', '2020-12-01', 9, 0, [], now() - INTERVAL 2 MINUTE, now() - INTERVAL 1 MINUTE);
CREATE TABLE raw.audit_runs (
    run_id VARCHAR PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ,
    passed BOOLEAN, failures JSON, published BOOLEAN NOT NULL DEFAULT false, message VARCHAR
);
INSERT INTO raw.audit_runs VALUES
    ('run-refused', TIMESTAMPTZ '2026-01-01 10:00:00+00', TIMESTAMPTZ '2026-01-01 10:01:30+00', FALSE,
     '[{"test_name": "unique_fct_trades_trade_id", "model": "fct_trades", "failing_rows": 2, "status": "fail"}]',
     FALSE, 'audit failed'),
    ('run-published', TIMESTAMPTZ '2026-01-02 10:00:00+00', TIMESTAMPTZ '2026-01-02 10:00:42+00', TRUE,
     '[{"test_name": "column_lte_fct_trades_tx_date__filed_date", "model": "fct_trades", "failing_rows": 1, "status": "warn"}]',
     TRUE, NULL);
CREATE TABLE raw.quarantine (
    source VARCHAR NOT NULL, dataset VARCHAR NOT NULL, partition VARCHAR, landing_path VARCHAR,
    record_ref VARCHAR, reason VARCHAR NOT NULL, payload VARCHAR, quarantined_at TIMESTAMPTZ NOT NULL
);
INSERT INTO raw.quarantine VALUES
    ('house_clerk', 'ptr_pdfs', '2023', NULL, 'doc 20022260 page 2', 'unreadable amount column',
     'SP Alphabet Inc. - Class C (GOOG) [ST] S 12/28/2022', now());
CREATE TABLE raw.committees (committee_id VARCHAR, name VARCHAR, jurisdiction VARCHAR);
INSERT INTO raw.committees VALUES
    ('SSFI', 'Senate Committee on Finance', 'Taxation, trade, health programs under Social Security.');
-- How each row was read (text layer or OCR); the fixture's rows are all read from text.
ALTER TABLE marts.fct_trades ADD COLUMN text_source VARCHAR DEFAULT 'text';
ALTER TABLE marts.fct_trades ADD COLUMN read_confidence DOUBLE DEFAULT 1.0;
ALTER TABLE marts.fct_trades ADD COLUMN needs_review VARCHAR[] DEFAULT [];
ALTER TABLE marts.fct_trades ADD COLUMN reviewed_fields VARCHAR[] DEFAULT [];
ALTER TABLE marts.fct_trades ADD COLUMN reviewed_at TIMESTAMPTZ;
-- Ticker resolution: each seeded ticker is printed and listed.
ALTER TABLE marts.fct_trades ADD COLUMN resolved_ticker VARCHAR;
ALTER TABLE marts.fct_trades ADD COLUMN ticker_confidence DOUBLE;
ALTER TABLE marts.fct_trades ADD COLUMN ticker_method VARCHAR;
UPDATE marts.fct_trades SET resolved_ticker = ticker, ticker_confidence = 1.0,
    ticker_method = 'reported_ticker' WHERE ticker IS NOT NULL;
