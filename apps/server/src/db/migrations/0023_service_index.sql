-- The citizen-service index of QĐ 766/QĐ-TTg (23/6/2022) as data (STANDARDS §4.5): one row per
-- sub-indicator and period of validity, with its points, kind and threshold. The figures are
-- computed from dossiers and the catalogue by modules/dossiers/index766.ts and stats-repo.ts.

CREATE TABLE service_index_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,40}$'),
  group_code text NOT NULL,
  group_label_vi text NOT NULL,
  ordinal int NOT NULL,
  label_vi text NOT NULL,
  label_en text NOT NULL,
  points numeric(6, 2) NOT NULL CHECK (points >= 0),
  kind text NOT NULL CHECK (kind IN ('ratio', 'threshold', 'constant')),
  threshold numeric(6, 4) CHECK (threshold IS NULL OR threshold BETWEEN 0 AND 1),
  factor_below numeric(6, 4) CHECK (factor_below IS NULL OR factor_below BETWEEN 0 AND 1),
  formula_vi text NOT NULL,
  formula_en text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  UNIQUE (code, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  CHECK (kind <> 'threshold' OR (threshold IS NOT NULL AND factor_below IS NOT NULL))
);
COMMENT ON TABLE service_index_rules IS 'QĐ 766/QĐ-TTg sub-indicators: points and thresholds, effective-dated; the row in force for a period is the latest valid_from <= period end (and valid_to > period end or NULL)';
COMMENT ON COLUMN service_index_rules.kind IS 'ratio: ratio × points; threshold: points if ratio >= threshold else points × factor_below; constant: points';
COMMENT ON COLUMN service_index_rules.group_code IS 'Nhóm chỉ tiêu: cong_khai, tien_do, dvctt, tttt, so_hoa, hai_long';

INSERT INTO service_index_rules
  (code, group_code, group_label_vi, ordinal, label_vi, label_en, points, kind, threshold, factor_below, formula_vi, formula_en, valid_from)
VALUES
  ('public_disclosure', 'cong_khai', 'Công khai, minh bạch', 1,
   'Công khai TTHC', 'Procedures published', 6, 'constant', NULL, NULL,
   'Điểm cố định 6 (theo cách tính của tỉnh tham chiếu)', 'Constant 6 (as the reference province computes it)', '2022-06-23'),
  ('portal_sync', 'cong_khai', 'Công khai, minh bạch', 2,
   'Đồng bộ hồ sơ lên Cổng DVCQG', 'Dossiers synchronised to the national portal', 6, 'constant', NULL, NULL,
   'Điểm cố định 6 (theo cách tính của tỉnh tham chiếu)', 'Constant 6 (as the reference province computes it)', '2022-06-23'),
  ('progress', 'tien_do', 'Tiến độ, kết quả giải quyết', 3,
   'Tiến độ giải quyết', 'On-time processing', 20, 'ratio', NULL, NULL,
   '(Hồ sơ đang xử lý chưa đến hạn tại ngày cuối kỳ + hồ sơ đã xử lý xong/đã trả có ngày xử lý xong ≤ ngày hẹn trả) / hồ sơ tiếp nhận trong kỳ (trừ bị từ chối, rút, dừng xử lý) × 20; so sánh theo NGÀY giờ Việt Nam',
   '(in progress and not yet due at period end + done/delivered with finished date ≤ due date) / received in period (excluding refused, withdrawn, stopped) × 20; dates compared in Asia/Ho_Chi_Minh',
   '2022-06-23'),
  ('electronic_result', 'so_hoa', 'Số hóa hồ sơ', 4,
   'Cấp kết quả điện tử', 'Electronic results', 6, 'ratio', NULL, NULL,
   'Hồ sơ có kết quả điện tử / hồ sơ đã xử lý xong hoặc đã trả kết quả (tiếp nhận trong kỳ) × 6',
   'Dossiers with an electronic result / dossiers done or delivered (received in period) × 6', '2022-06-23'),
  ('digitised', 'so_hoa', 'Số hóa hồ sơ', 5,
   'Số hóa hồ sơ', 'Digitised dossiers', 4, 'threshold', 0.8, 0.8,
   'Tỷ lệ = hồ sơ có ít nhất một thành phần và mọi thành phần đã số hóa (mức 1–3) / hồ sơ tiếp nhận trong kỳ (trừ bị từ chối); đủ 4 điểm nếu ≥ 80%, dưới ngưỡng 4 × 0,8',
   'Dossiers with at least one component and every component digitised (1–3) / received (excluding refused); 4 if ≥ 80 %, else 4 × 0.8',
   '2022-06-23'),
  ('reuse', 'so_hoa', 'Số hóa hồ sơ', 6,
   'Tái sử dụng dữ liệu số hóa', 'Reuse of digitised data', 2, 'threshold', 0.8, 0.8,
   'Tỷ lệ = thành phần tái sử dụng (mức 2, 3) / thành phần của hồ sơ tiếp nhận trong kỳ (trừ bị từ chối); đủ 2 điểm nếu ≥ 80%, dưới ngưỡng 2 × 0,8',
   'Reused components (2, 3) / components of received dossiers (excluding refused); 2 if ≥ 80 %, else 2 × 0.8',
   '2022-06-23'),
  ('online_procedures', 'dvctt', 'Dịch vụ công trực tuyến', 7,
   'TTHC cung cấp DVCTT', 'Procedures offered online', 2, 'threshold', 0.8, 0.8,
   'Tỷ lệ = TTHC trực tuyến (toàn trình hoặc có kênh nộp trực tuyến) / TTHC đang áp dụng tại cơ quan (đã công bố, còn hiệu lực ngày cuối kỳ); đủ 2 điểm nếu ≥ 80%, dưới ngưỡng 2 × 0,8',
   'Online procedures (full level or an online channel) / procedures in force at period end; 2 if ≥ 80 %, else 2 × 0.8',
   '2022-06-23'),
  ('online_procedures_used', 'dvctt', 'Dịch vụ công trực tuyến', 8,
   'DVCTT có phát sinh hồ sơ', 'Online procedures with dossiers', 4, 'ratio', NULL, NULL,
   'TTHC trực tuyến có ít nhất một hồ sơ nộp trực tuyến trong kỳ / TTHC trực tuyến × 4',
   'Online procedures with at least one online dossier in the period / online procedures × 4', '2022-06-23'),
  ('online_dossiers', 'dvctt', 'Dịch vụ công trực tuyến', 9,
   'Hồ sơ nộp trực tuyến', 'Dossiers submitted online', 6, 'threshold', 0.5, 0.5,
   'Tỷ lệ = hồ sơ nộp trực tuyến (kênh 2) / hồ sơ tiếp nhận trong kỳ (mọi kênh, trừ bị từ chối); đủ 6 điểm nếu ≥ 50%, dưới ngưỡng 6 × 0,5',
   'Online dossiers (channel 2) / received (any channel, excluding refused); 6 if ≥ 50 %, else 6 × 0.5',
   '2022-06-23'),
  ('online_payment_procedures', 'tttt', 'Thanh toán trực tuyến', 10,
   'TTHC có giao dịch thanh toán trực tuyến', 'Procedures with online payments', 2, 'threshold', 0.5, 0.8,
   'Tỷ lệ = TTHC có hồ sơ thanh toán trực tuyến trong kỳ / TTHC có hồ sơ phải nộp phí, lệ phí trong kỳ; đủ 2 điểm nếu ≥ 50%, dưới ngưỡng 2 × 0,8',
   'Procedures with an online-paid dossier / procedures with fee-bearing dossiers in the period; 2 if ≥ 50 %, else 2 × 0.8',
   '2022-06-23'),
  ('payable_on_portal', 'tttt', 'Thanh toán trực tuyến', 11,
   'TTHC thanh toán được trên Cổng DVCQG', 'Procedures payable on the national portal', 2, 'constant', NULL, NULL,
   'Điểm cố định 2 (theo cách tính của tỉnh tham chiếu)', 'Constant 2 (as the reference province computes it)', '2022-06-23'),
  ('online_payment_dossiers', 'tttt', 'Thanh toán trực tuyến', 12,
   'Hồ sơ thanh toán trực tuyến', 'Dossiers paid online', 6, 'threshold', 0.3, 0.9,
   'Tỷ lệ = hồ sơ thanh toán trực tuyến / hồ sơ phải nộp phí, lệ phí (tổng phí > 0) tiếp nhận trong kỳ; đủ 6 điểm nếu ≥ 30%, dưới ngưỡng 6 × 0,9',
   'Dossiers paid online / fee-bearing dossiers (fee total > 0) received in period; 6 if ≥ 30 %, else 6 × 0.9',
   '2022-06-23'),
  ('satisfaction', 'hai_long', 'Mức độ hài lòng', 13,
   'Mức độ hài lòng (9 tiêu chí × 2 điểm)', 'Satisfaction (9 indicators × 2 points)', 18, 'ratio', NULL, NULL,
   'Chưa có dữ liệu: điểm tính khi Cổng dịch vụ công thu thập đánh giá của người dân',
   'No data yet: scored once the portal collects ratings', '2022-06-23');

-- The period queries filter dossiers by receipt time (province-wide: no agency prefix).
CREATE INDEX dossiers_received_at ON dossiers (received_at);

-- Per-dossier component counts kept on the dossier by a trigger, so that the index of a
-- province-year reads one table (a join and per-dossier aggregate over two million components
-- took 20 s on the bench machine; see docs/BENCHMARKS.md, dossiers).
ALTER TABLE dossiers
  ADD COLUMN components_total int NOT NULL DEFAULT 0,
  ADD COLUMN components_digitised int NOT NULL DEFAULT 0,
  ADD COLUMN components_reused int NOT NULL DEFAULT 0;
COMMENT ON COLUMN dossiers.components_total IS 'Number of dossier_components rows (kept by trigger dossier_components_counts)';
COMMENT ON COLUMN dossiers.components_digitised IS 'Components with digitised >= 1 (kept by trigger)';
COMMENT ON COLUMN dossiers.components_reused IS 'Components with digitised >= 2, tái sử dụng (kept by trigger)';

CREATE FUNCTION f_dossier_components_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE dossiers SET components_total = components_total - 1,
      components_digitised = components_digitised - (OLD.digitised >= 1)::int,
      components_reused = components_reused - (OLD.digitised >= 2)::int
    WHERE id = OLD.dossier_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    UPDATE dossiers SET components_total = components_total + 1,
      components_digitised = components_digitised + (NEW.digitised >= 1)::int,
      components_reused = components_reused + (NEW.digitised >= 2)::int
    WHERE id = NEW.dossier_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER dossier_components_counts AFTER INSERT OR DELETE OR UPDATE OF digitised, dossier_id
  ON dossier_components FOR EACH ROW EXECUTE FUNCTION f_dossier_components_counts();
