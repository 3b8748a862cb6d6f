-- One counter that moves with every change to the tables the adoption figures' reference data comes from
-- (units, sites, campaigns, targets and memberships over time), in the same transaction as the change.
-- Why: every app process keeps that reference in memory and must reload it when it may have changed. Until
-- now a process knew only its own changes (temporary triggers) and reloaded on any other connection's
-- commit, so with several worker processes each onboarding submit made the other workers re-read every
-- site. With the counter they reload only when the reference itself changed.
CREATE TABLE reference_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO reference_version (id, n) VALUES (1, 0);

CREATE TRIGGER reference_version_provinces_insert AFTER INSERT ON provinces BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_provinces_update AFTER UPDATE ON provinces BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_provinces_delete AFTER DELETE ON provinces BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_communes_insert AFTER INSERT ON communes BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_communes_update AFTER UPDATE ON communes BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_communes_delete AFTER DELETE ON communes BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_sites_insert AFTER INSERT ON sites BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_sites_update AFTER UPDATE ON sites BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_sites_delete AFTER DELETE ON sites BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_campaigns_insert AFTER INSERT ON campaigns BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_campaigns_update AFTER UPDATE ON campaigns BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_campaigns_delete AFTER DELETE ON campaigns BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_campaign_sites_insert AFTER INSERT ON campaign_sites BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_campaign_sites_update AFTER UPDATE ON campaign_sites BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_campaign_sites_delete AFTER DELETE ON campaign_sites BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_site_target_history_insert AFTER INSERT ON site_target_history BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_campaign_target_history_insert AFTER INSERT ON campaign_target_history BEGIN UPDATE reference_version SET n = n + 1; END;
CREATE TRIGGER reference_version_campaign_membership_history_insert AFTER INSERT ON campaign_membership_history BEGIN UPDATE reference_version SET n = n + 1; END;
