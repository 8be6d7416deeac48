-- Statistics: the median time to acknowledgement reads only acknowledged reports.
CREATE INDEX report_acknowledged ON report (received_at) WHERE acknowledged_at IS NOT NULL;
