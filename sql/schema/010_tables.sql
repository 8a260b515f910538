-- The stored state of nianbao: every file ever received, its cells, and the runs that saw them.
-- Applied by nianbao.store.apply_schema on every run; each statement is idempotent.
-- No primary keys or indexes: DuckDB appends faster without them, and uniqueness is kept by the
-- loader (a submission is its content hash, stored once).

-- One row per nianbao run that stored new files (or read stored ones again). A run that found
-- nothing new leaves no trace, so that running twice on the same inbox changes no row.
CREATE TABLE IF NOT EXISTS runs (
    run_id            VARCHAR,    -- the Prefect flow run id (or a uuid outside Prefect)
    run_seq           INTEGER,    -- 1, 2, 3 … in publishing order: "received later" compares this first
    mode              VARCHAR,    -- 'run' | 'reparse'
    started_at        TIMESTAMP,  -- UTC
    finished_at       TIMESTAMP,  -- UTC, when the snapshot was built
    inbox             VARCHAR,
    reader_version    VARCHAR,
    files_seen        INTEGER,
    files_new         INTEGER,
    files_skipped     INTEGER,
    files_quarantined INTEGER
);

-- One row per stored file content (a parsed report, or a quarantined file with status
-- 'quarantined'). submission_id is the sha256 of the bytes, so a file is stored once.
CREATE TABLE IF NOT EXISTS submissions (
    submission_id     VARCHAR,    -- = sha256
    office            VARCHAR,    -- the registry's name for the office (or the printed name, cleaned)
    office_as_printed VARCHAR,    -- the title as the report prints it
    office_match      VARCHAR,    -- exact | alias | normalised | fuzzy | unknown
    district          VARCHAR,
    office_kind       VARCHAR,    -- 街道 | 乡镇 | 部门 | 政府
    year              INTEGER,    -- the year reported on
    format            VARCHAR,    -- '2021' | '2019'
    source_path       VARCHAR,    -- path inside the inbox where the run first saw it
    source_format     VARCHAR,    -- text, markdown, html, pdf, docx, xlsx
    sha256            VARCHAR,
    raw_path          VARCHAR,    -- the immutable copy, relative to the raw store
    file_size         BIGINT,
    file_mtime        TIMESTAMP,  -- UTC; orders the files that one run saw
    received_at       TIMESTAMP,  -- UTC start of the run that first saw the file
    run_id            VARCHAR,
    run_seq           INTEGER,
    reader_version    VARCHAR,
    is_current        BOOLEAN,    -- the latest received submission of its office and year
    status            VARCHAR,    -- consistent | inconsistent | quarantined ('consistent' until checked)
    warnings          VARCHAR[],  -- the reader's (a quarantined file: why it was quarantined)
    office_warning    VARCHAR     -- the registry's: a fuzzy match, or an office it does not know
);

-- One row per cell of tables 2-4 of a parsed submission.
CREATE TABLE IF NOT EXISTS cells (
    submission_id VARCHAR,
    table_code    VARCHAR,        -- active_disclosure | applications | review_litigation
    row_code      VARCHAR,
    column_code   VARCHAR,
    value         DOUBLE,         -- NULL when the cell could not be read; fees in 万元
    kind          VARCHAR,        -- number | blank | dash | text | missing | derived
    raw           VARCHAR,        -- the cell's text as printed
    label         VARCHAR,        -- the row label as printed
    location      VARCHAR,        -- line, element or page where the value was found
    inferred      BOOLEAN         -- split out of digits printed run together
);

-- The prose outside the tables, for the narrative_agrees check.
CREATE TABLE IF NOT EXISTS narratives (
    submission_id VARCHAR,
    narrative     VARCHAR
);

-- One row per file that could not be read as a report. The bytes stay in the raw store, so a
-- better reader can try again (nianbao reparse).
CREATE TABLE IF NOT EXISTS quarantine (
    sha256         VARCHAR,
    source_path    VARCHAR,
    reason         VARCHAR,       -- for the official who sent the file (Chinese where it can be)
    error_type     VARCHAR,       -- the exception class: UnreadableFile, TableNotFound, …
    received_at    TIMESTAMP,
    run_id         VARCHAR,
    raw_path       VARCHAR,
    file_mtime     TIMESTAMP,
    reader_version VARCHAR
);

-- The registry of offices (data/registry/offices.csv) as it was for this snapshot.
CREATE TABLE IF NOT EXISTS offices (
    office   VARCHAR,
    aliases  VARCHAR[],
    district VARCHAR,
    kind     VARCHAR,             -- 街道 | 乡镇 | 部门 | 政府
    expected BOOLEAN              -- the district expects a report from this office every year
);

-- Failed rules, one row per rule and submission (filled by nianbao.quality).
CREATE TABLE IF NOT EXISTS quality_failures (
    submission_id VARCHAR,
    office        VARCHAR,
    year          INTEGER,
    rule          VARCHAR,        -- balance, row_total, … (spec: "The rules a submission must satisfy")
    severity      VARCHAR,        -- error | warning
    detail        VARCHAR,
    cells         VARCHAR[],      -- the cells involved, as table.row.column
    expected      DOUBLE,
    found         DOUBLE,
    raw           VARCHAR,
    message_zh    VARCHAR
);

-- What this snapshot was built from: `fingerprint` (code, SQL, registry and settings) and
-- `snapshot` (the run that built it). A run with no new file and the same fingerprint, whose
-- outputs are all published, leaves everything as it is.
CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR,
    value VARCHAR
);
