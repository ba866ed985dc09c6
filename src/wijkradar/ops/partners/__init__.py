"""Partner signals about areas: the signals (area_signals), the "under the radar" triangulation
(radar), vindplaatsen and their points on the map, the partner pages (web, i18n), their tables
(models) and demo."""
