-- Đồng Nai and Bắc Ninh became centrally-run cities in 2026. Codes stay; names and unit types change.
UPDATE provinces SET name = 'Thành phố Đồng Nai', unit_type = 'thanh_pho', name_folded = 'thanh pho dong nai' WHERE code = '75';
UPDATE provinces SET name = 'Thành phố Bắc Ninh', unit_type = 'thanh_pho', name_folded = 'thanh pho bac ninh' WHERE code = '24';
