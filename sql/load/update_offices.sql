-- Set what each printed office name means, from the registered frame
-- `resolved_offices(office_as_printed, office, district, office_kind, office_match, office_warning)`.
-- Run for every submission on every run, so that an edited registry applies to old reports too.
UPDATE submissions AS s
SET office = r.office,
    district = r.district,
    office_kind = r.office_kind,
    office_match = r.office_match,
    office_warning = r.office_warning
FROM resolved_offices AS r
WHERE s.office_as_printed = r.office_as_printed;
