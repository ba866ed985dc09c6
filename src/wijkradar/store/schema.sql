-- The monitor database. One DuckDB file, written once per build, read by everything else.
-- Only wijkradar.store touches DuckDB. Values that are not 'ok' are NULL, never 0.

CREATE TABLE build (
    build_id            VARCHAR PRIMARY KEY,   -- input_hash[:16]
    created_at          TIMESTAMP NOT NULL,    -- UTC
    code_version        VARCHAR NOT NULL,      -- wijkradar version (+ git commit when known)
    methodology_version VARCHAR,               -- NULL when no scores were computed
    input_hash          VARCHAR NOT NULL,      -- hash of source fingerprints, options, code, method
    options             JSON NOT NULL,         -- years, levels, reference areas, ...
    demo                BOOLEAN NOT NULL DEFAULT FALSE  -- synthetic demo data: label every page
);

CREATE TABLE sources (
    source_id    VARCHAR PRIMARY KEY,          -- Provenance.source_id
    publisher    VARCHAR NOT NULL,
    table_id     VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    year         INTEGER,
    retrieved_at VARCHAR NOT NULL,
    licence      VARCHAR NOT NULL,
    checksum     VARCHAR NOT NULL,
    url          VARCHAR,
    kind         VARCHAR NOT NULL,
    n_observations BIGINT NOT NULL DEFAULT 0,
    n_suppressed BIGINT NOT NULL DEFAULT 0,
    n_missing    BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE variables (                     -- source variables as the publisher defines them
    key         VARCHAR NOT NULL,
    source_id   VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (key, source_id)
);

CREATE TABLE regions (
    code           VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    level          VARCHAR NOT NULL,           -- land | provincie | gemeente | wijk | buurt
    name           VARCHAR NOT NULL,
    parent_code    VARCHAR,
    gemeente_code  VARCHAR,
    provincie_code VARCHAR,
    PRIMARY KEY (code, year)
);

CREATE TABLE region_changes (
    level     VARCHAR NOT NULL,
    year_from INTEGER NOT NULL,
    code_from VARCHAR NOT NULL,
    year_to   INTEGER NOT NULL,
    code_to   VARCHAR NOT NULL,
    kind      VARCHAR NOT NULL,                -- same | merged | split | recoded | changed
    weight    DOUBLE NOT NULL,
    note      VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE boundaries (
    code      VARCHAR NOT NULL,
    year      INTEGER NOT NULL,
    level     VARCHAR NOT NULL,
    geometry  VARCHAR NOT NULL,                -- simplified GeoJSON geometry, WGS84
    source_id VARCHAR NOT NULL,
    PRIMARY KEY (code, year)
);

CREATE TABLE observations (
    region_code VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    period      INTEGER NOT NULL,
    variable    VARCHAR NOT NULL,
    value       DOUBLE,                        -- NULL unless status = 'ok'
    status      VARCHAR NOT NULL,              -- ok | suppressed | missing
    source_id   VARCHAR NOT NULL
);

-- Series harmonised to one target year's gemeenten (sums of counts over merged municipalities).
CREATE TABLE observations_harmonised (
    target_year INTEGER NOT NULL,
    region_code VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    period      INTEGER NOT NULL,
    variable    VARCHAR NOT NULL,
    value       DOUBLE,
    status      VARCHAR NOT NULL,
    method      VARCHAR NOT NULL               -- same | summed | break
);

-- ---------------------------------------------------------------------------------------------
-- Scores (issue 3). Written by wijkradar.store.scores from wijkradar.compute results.
-- `reference` is the area whose same-level areas form the ranking population: 'NL01', a PVxx or
-- a GMxxxx. `framework` is 'tno' or 'corona_dashboard'.

CREATE TABLE indicator_values (              -- methodology indicators derived from observations
    region_code VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    period      INTEGER NOT NULL,
    indicator   VARCHAR NOT NULL,
    value       DOUBLE,
    status      VARCHAR NOT NULL,              -- ok | suppressed | missing | too_small
    unit        VARCHAR NOT NULL,
    source_ids  VARCHAR[] NOT NULL
);

-- Only for values with status ok: a value that is missing, suppressed or too small has no rank
-- row, and its rank status is the value's status (store.profiles, store.queries read it so).
CREATE TABLE indicator_ranks (
    reference   VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    period      INTEGER NOT NULL,
    indicator   VARCHAR NOT NULL,
    percentile  DOUBLE,                        -- 0..100, oriented: higher = more vulnerable
    status      VARCHAR NOT NULL               -- ok | unranked (fewer than two values to rank)
);

CREATE TABLE characteristic_scores (
    reference      VARCHAR NOT NULL,
    region_code    VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,
    period         INTEGER NOT NULL,
    characteristic VARCHAR NOT NULL,           -- risk characteristic or protective factor id
    score          DOUBLE,                     -- mean oriented percentile, 0..100
    flagged        BOOLEAN,                    -- top decile; NULL when no score
    n_indicators   INTEGER NOT NULL,
    status         VARCHAR NOT NULL
);

CREATE TABLE theme_scores (
    framework   VARCHAR NOT NULL,
    reference   VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    period      INTEGER NOT NULL,
    theme       VARCHAR NOT NULL,
    score       DOUBLE,
    status      VARCHAR NOT NULL
);

CREATE TABLE area_scores (
    framework     VARCHAR NOT NULL,
    reference     VARCHAR NOT NULL,
    region_code   VARCHAR NOT NULL,
    level         VARCHAR NOT NULL,
    period        INTEGER NOT NULL,
    stacking      INTEGER,                     -- number of flagged characteristics, 0..12
    toxic_mix     BOOLEAN,
    overall_index DOUBLE,
    protective    DOUBLE,
    status        VARCHAR NOT NULL,            -- ok | too_small | insufficient_data
    status_reason VARCHAR NOT NULL DEFAULT ''
);

-- Why an area has no score (status too_small / insufficient_data), as a code with parameters
-- (wijkradar.compute.reasons words them per language). One row per such area and reference; a
-- table of its own so rows written into area_scores by position stay valid.
CREATE TABLE area_status_reasons (
    reference     VARCHAR NOT NULL,
    region_code   VARCHAR NOT NULL,
    level         VARCHAR NOT NULL,
    period        INTEGER NOT NULL,
    reason_code   VARCHAR NOT NULL,            -- too_small | population_unknown | insufficient_characteristics
    reason_params VARCHAR NOT NULL DEFAULT '{}'  -- JSON object of integers, e.g. {"min_population": 100}
);

CREATE TABLE area_changes (
    framework     VARCHAR NOT NULL,
    reference     VARCHAR NOT NULL,
    region_code   VARCHAR NOT NULL,
    level         VARCHAR NOT NULL,
    period        INTEGER NOT NULL,
    base_period   INTEGER NOT NULL,
    d_stacking    INTEGER,
    d_overall     DOUBLE,
    status        VARCHAR NOT NULL,            -- ok | break (region changed) | missing
    base_code     VARCHAR                      -- code in base_period when recoded, else NULL
);

-- ---------------------------------------------------------------------------------------------
-- Uncertainty, hotspots and peer groups (issue 12). Written by wijkradar.store.analysis from
-- wijkradar.compute.uncertainty / hotspots / peers, when the methodology version has an
-- uncertainty.yml; empty otherwise. docs/uncertainty.md explains every column.

CREATE TABLE indicator_intervals (           -- interval of each indicator value with a value
    region_code VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    period      INTEGER NOT NULL,
    indicator   VARCHAR NOT NULL,
    lower       DOUBLE NOT NULL,
    upper       DOUBLE NOT NULL,
    model       VARCHAR NOT NULL               -- binomial | margin | none (taken as exact)
);

CREATE TABLE flag_certainty (                -- per scored characteristic: how sure its flag is
    reference      VARCHAR NOT NULL,
    region_code    VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,
    period         INTEGER NOT NULL,
    characteristic VARCHAR NOT NULL,
    flagged        BOOLEAN NOT NULL,
    p_flag         DOUBLE NOT NULL,            -- share of draws in the top decile
    certainty      VARCHAR NOT NULL            -- certain | likely | uncertain (of the flag shown)
);

CREATE TABLE stacking_uncertainty (          -- per area with a score
    reference      VARCHAR NOT NULL,
    region_code    VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,
    period         INTEGER NOT NULL,
    stacking       INTEGER NOT NULL,           -- as in area_scores
    stacking_lower INTEGER NOT NULL,           -- 95 % interval over the draws
    stacking_upper INTEGER NOT NULL,
    p_toxic_mix    DOUBLE NOT NULL,            -- P(stacking ≥ toxic_mix_threshold)
    p_stacking_ge  DOUBLE[] NOT NULL,          -- element k+1 = P(stacking ≥ k), k = 0..12
    index_lower    DOUBLE,
    index_upper    DOUBLE,
    rank_lower     INTEGER,                    -- rank of the overall index, 1 = most vulnerable
    rank_upper     INTEGER,
    draws          INTEGER NOT NULL
);

CREATE TABLE hotspots (                      -- Getis-Ord Gi* per level, year and measure
    level       VARCHAR NOT NULL,
    period      INTEGER NOT NULL,
    measure     VARCHAR NOT NULL,              -- 'stacking' or a characteristic id (its score)
    region_code VARCHAR NOT NULL,
    value       DOUBLE,
    gi_z        DOUBLE,
    p_value     DOUBLE,
    q_value     DOUBLE,                        -- after the multiple-testing correction
    cluster     VARCHAR NOT NULL,              -- hot | cold | none | not_tested
    correction  VARCHAR NOT NULL,              -- fdr_bh | bonferroni | none
    alpha       DOUBLE NOT NULL
);

CREATE TABLE peer_groups (                   -- similar gemeenten per year
    gemeente_code VARCHAR NOT NULL,
    period        INTEGER NOT NULL,
    peer_code     VARCHAR NOT NULL,
    rank          INTEGER NOT NULL,            -- 1 = most similar
    distance      DOUBLE NOT NULL
);
