/**
 * The demo programme: the real pilot sites of Gia Lai (code 52, old Gia Lai and old Bình Định since 7/2025)
 * as reported in the press, with invented stalls and volunteers. Status counts are chosen, not drawn, so the
 * facts the demo must show hold exactly (coverage = installed ÷ stalls not closed):
 * - Chợ Hoa Lư above its 70 % target (90/117 = 76.9 %);
 * - Trung tâm thương mại xã Chư Prông above 70 %, as reported (66/88 = 75.0 %);
 * - Chợ tạm thôn 3 below target (29/58 = 50.0 %);
 * - the Hoài Nhơn streets a mix: Tam Quan 33/44 = 75.0 % and Hoài Châu Bắc 20/27 = 74.1 % achieved; Quang
 *   Trung in Bồng Sơn 41/54 = 75.9 % against its own 80 % target and Đào Duy Từ 15/33 = 45.5 % not.
 * Sites below target stay below it even if QR-verified stalls were counted as covered.
 */
import type { GoodsCategory } from '../vocabulary/goods-categories.js';
import type { StallStatus } from '../vocabulary/stall-status.js';
import type { SiteKind } from '../vocabulary/site-kinds.js';
import type { Role } from '../vocabulary/roles.js';
import { CHU_PRONG_BANKS, HOA_LU_BANKS, HOAI_NHON_BANKS, type BankWeights } from './demo-banks.js';
import type { DemoRegion } from './demo-names.js';

/** The Đoàn team (commune youth union) that works a site; its volunteers author the site's history. */
export type DemoTeam = 'hoalu' | 'chuprong' | 'bongson' | 'tamquan' | 'hoainhonbac';

export interface DemoUserSpec {
  username: string;
  displayName: string;
  role: Extract<Role, 'leader' | 'team_lead' | 'volunteer' | 'viewer'>;
  /** Team members reach the communes of their team's sites; users without a team, the demo province. */
  team: DemoTeam | null;
}

/** The new (post-2025) commune of a site: a code, or an old commune looked up in commune_mappings at run time. */
export type DemoCommuneRef = { code: string } | { oldName: string; oldDistrictName: string; oldProvinceName: string };

/**
 * How the site labels its stalls: a market has Sạp (open stalls), Quầy (meat and fish counters) and Ki-ốt
 * (lockable kiosks, in blocks A, B…); a trade centre is mostly kiosks; a temporary market has only stalls and
 * counters; a street has house numbers ("số 45", "số 112A").
 */
export type LabelStyle = 'market' | 'trade_centre' | 'temporary_market' | 'street';

export interface DemoSiteSpec {
  key: string;
  kind: SiteKind;
  name: string;
  commune: DemoCommuneRef;
  address: string;
  targetPercent: number;
  launchedOn: string | null;
  note: string;
  team: DemoTeam;
  labelStyle: LabelStyle;
  region: DemoRegion;
  /** Share of owners with Jrai names. */
  jraiShare: number;
  categoryWeights: Readonly<Partial<Record<GoodsCategory, number>>>;
  /** Banks of the traders' main accounts, weighted. */
  banks: BankWeights;
  /** Current status counts; their sum is the number of stalls. */
  counts: Readonly<Record<StallStatus, number>>;
  /** Days (0 = 83 days before today, 82 = yesterday) between which the site's stalls were first surveyed. */
  surveyDays: readonly [number, number];
}

const MARKET_GOODS: DemoSiteSpec['categoryWeights'] = {
  rau_cu: 20,
  trai_cay: 12,
  thit: 12,
  hai_san: 9,
  quan_ao: 12,
  tap_hoa: 10,
  gao_do_kho: 6,
  an_uong: 5,
  giai_khat: 3,
  giay_dep: 3,
  my_pham: 2,
  gia_dung: 2,
  hoa: 2,
  vang_bac: 1,
  dien_thoai: 1,
};

const TRADE_CENTRE_GOODS: DemoSiteSpec['categoryWeights'] = {
  quan_ao: 18,
  tap_hoa: 10,
  giay_dep: 8,
  my_pham: 7,
  gia_dung: 7,
  dien_thoai: 6,
  vang_bac: 3,
  rau_cu: 9,
  trai_cay: 6,
  thit: 7,
  hai_san: 4,
  gao_do_kho: 5,
  an_uong: 5,
  giai_khat: 4,
  dich_vu: 2,
  hoa: 1,
};

const TEMPORARY_MARKET_GOODS: DemoSiteSpec['categoryWeights'] = {
  rau_cu: 26,
  trai_cay: 12,
  thit: 13,
  hai_san: 8,
  gao_do_kho: 8,
  tap_hoa: 9,
  quan_ao: 8,
  an_uong: 6,
  giai_khat: 3,
  gia_dung: 2,
  khac: 2,
};

const STREET_GOODS: DemoSiteSpec['categoryWeights'] = {
  an_uong: 16,
  giai_khat: 14,
  tap_hoa: 14,
  dich_vu: 10,
  dien_thoai: 8,
  my_pham: 6,
  quan_ao: 6,
  gia_dung: 5,
  giay_dep: 4,
  trai_cay: 3,
  gao_do_kho: 3,
  vang_bac: 3,
  hai_san: 2,
  hoa: 2,
  thit: 1,
  khac: 3,
};

const HOAI_NHON = { oldDistrictName: 'Thị xã Hoài Nhơn', oldProvinceName: 'Tỉnh Bình Định' } as const;

export const DEMO_SITES: readonly DemoSiteSpec[] = [
  {
    key: 'hoalu',
    kind: 'market',
    name: 'Chợ Hoa Lư',
    commune: { code: '23575' },
    address: 'Đường Hoa Lư, phường Pleiku (phường Hoa Lư cũ)',
    targetPercent: 70,
    launchedOn: '2023-12-03',
    note:
      'Mô hình “Khu chợ thanh toán không dùng tiền mặt” do Tỉnh Đoàn cùng BIDV Gia Lai triển khai từ ngày 3/12/2023. ' +
      'Sau gần một tháng, khoảng 50 tiểu thương đã mở tài khoản và dán mã QR tại sạp, ki-ốt.',
    team: 'hoalu',
    labelStyle: 'market',
    region: 'gia_lai',
    jraiShare: 0.08,
    categoryWeights: MARKET_GOODS,
    banks: HOA_LU_BANKS,
    counts: { surveyed: 5, has_account: 7, qr_verified: 6, installed: 90, refused: 9, closed: 3 },
    surveyDays: [0, 48],
  },
  {
    key: 'tttm-chuprong',
    kind: 'trade_centre',
    name: 'Trung tâm thương mại xã Chư Prông',
    commune: { code: '23887' },
    address: 'Trung tâm xã Chư Prông (thị trấn Chư Prông cũ)',
    targetPercent: 70,
    launchedOn: '2023-06-01',
    note:
      'Mô hình “Khu chợ không sử dụng tiền mặt” của Đoàn xã Chư Prông, triển khai từ tháng 6/2023; ' +
      'hơn 70% tiểu thương đã áp dụng thanh toán không dùng tiền mặt.',
    team: 'chuprong',
    labelStyle: 'trade_centre',
    region: 'gia_lai',
    jraiShare: 0.15,
    categoryWeights: TRADE_CENTRE_GOODS,
    banks: CHU_PRONG_BANKS,
    counts: { surveyed: 3, has_account: 4, qr_verified: 5, installed: 66, refused: 10, closed: 2 },
    surveyDays: [0, 45],
  },
  {
    key: 'chotam-thon3',
    kind: 'market',
    name: 'Chợ tạm thôn 3',
    commune: { code: '23887' },
    address: 'Thôn 3, xã Chư Prông',
    targetPercent: 70,
    launchedOn: '2023-06-01',
    note: 'Chợ tạm của xã Chư Prông (thôn 3), cùng mô hình với Trung tâm thương mại xã từ tháng 6/2023.',
    team: 'chuprong',
    labelStyle: 'temporary_market',
    region: 'gia_lai',
    jraiShare: 0.22,
    categoryWeights: TEMPORARY_MARKET_GOODS,
    banks: CHU_PRONG_BANKS,
    counts: { surveyed: 6, has_account: 7, qr_verified: 4, installed: 29, refused: 12, closed: 2 },
    surveyDays: [7, 62],
  },
  {
    key: 'quangtrung-bongson',
    kind: 'street',
    name: 'Tuyến phố Quang Trung (Bồng Sơn)',
    commune: { oldName: 'Phường Bồng Sơn', ...HOAI_NHON },
    address: 'Đường Quang Trung, phường Bồng Sơn (thị xã Hoài Nhơn cũ)',
    targetPercent: 80,
    launchedOn: null,
    note:
      'Tuyến đường thanh toán không dùng tiền mặt do Thị đoàn Hoài Nhơn thí điểm, cùng Tam Quan và Hoài Châu Bắc; ' +
      'chỉ tiêu của tuyến đặt ở mức 80%.',
    team: 'bongson',
    labelStyle: 'street',
    region: 'binh_dinh',
    jraiShare: 0,
    categoryWeights: STREET_GOODS,
    banks: HOAI_NHON_BANKS,
    counts: { surveyed: 3, has_account: 4, qr_verified: 1, installed: 41, refused: 5, closed: 2 },
    surveyDays: [2, 50],
  },
  {
    key: 'daoduytu-bongson',
    kind: 'street',
    name: 'Tuyến đường Đào Duy Từ (Bồng Sơn)',
    commune: { oldName: 'Phường Bồng Sơn', ...HOAI_NHON },
    address: 'Đường Đào Duy Từ, phường Bồng Sơn (thị xã Hoài Nhơn cũ)',
    targetPercent: 70,
    launchedOn: null,
    note:
      'Tuyến thứ hai của phường Bồng Sơn, mở rộng theo kế hoạch mỗi xã, ' +
      'phường một tuyến đường không dùng tiền mặt.',
    team: 'bongson',
    labelStyle: 'street',
    region: 'binh_dinh',
    jraiShare: 0,
    categoryWeights: STREET_GOODS,
    banks: HOAI_NHON_BANKS,
    counts: { surveyed: 5, has_account: 5, qr_verified: 3, installed: 15, refused: 5, closed: 1 },
    surveyDays: [35, 72],
  },
  {
    key: 'tranhungdao-tamquan',
    kind: 'street',
    name: 'Tuyến phố Trần Hưng Đạo (Tam Quan)',
    commune: { oldName: 'Phường Tam Quan', ...HOAI_NHON },
    address: 'Đường Trần Hưng Đạo, phường Tam Quan (thị xã Hoài Nhơn cũ)',
    targetPercent: 70,
    launchedOn: null,
    note: 'Tuyến đường thanh toán không dùng tiền mặt do Thị đoàn Hoài Nhơn thí điểm tại phường Tam Quan.',
    team: 'tamquan',
    labelStyle: 'street',
    region: 'binh_dinh',
    jraiShare: 0,
    categoryWeights: STREET_GOODS,
    banks: HOAI_NHON_BANKS,
    counts: { surveyed: 2, has_account: 3, qr_verified: 2, installed: 33, refused: 4, closed: 1 },
    surveyDays: [4, 55],
  },
  {
    key: 'trungtam-hoaichaubac',
    kind: 'street',
    name: 'Tuyến đường trung tâm Hoài Châu Bắc',
    commune: { oldName: 'Xã Hoài Châu Bắc', ...HOAI_NHON },
    address: 'Khu trung tâm xã Hoài Châu Bắc cũ, phường Hoài Nhơn Bắc',
    targetPercent: 70,
    launchedOn: null,
    note: 'Tuyến đường thanh toán không dùng tiền mặt do Thị đoàn Hoài Nhơn thí điểm tại xã Hoài Châu Bắc (cũ).',
    team: 'hoainhonbac',
    labelStyle: 'street',
    region: 'binh_dinh',
    jraiShare: 0,
    categoryWeights: STREET_GOODS,
    banks: HOAI_NHON_BANKS,
    counts: { surveyed: 1, has_account: 2, qr_verified: 2, installed: 20, refused: 2, closed: 1 },
    surveyDays: [10, 58],
  },
];

/**
 * Demo accounts. Nobody logs in as them (each gets a random password) unless an admin resets one; they exist
 * so sites and history rows have an author. The app creates the 'admin' account itself.
 */
export const DEMO_USERS: readonly DemoUserSpec[] = [
  { username: 'lanhdao.gialai', displayName: 'Nguyễn Hoàng Phúc', role: 'leader', team: null },
  { username: 'totruong.hoalu', displayName: 'Trần Thị Thu Hà', role: 'team_lead', team: 'hoalu' },
  { username: 'totruong.chuprong', displayName: 'Lê Văn Khánh', role: 'team_lead', team: 'chuprong' },
  { username: 'totruong.bongson', displayName: 'Võ Thị Mỹ Linh', role: 'team_lead', team: 'bongson' },
  { username: 'totruong.tamquan', displayName: 'Huỳnh Tấn Phát', role: 'team_lead', team: 'tamquan' },
  { username: 'totruong.hoainhonbac', displayName: 'Đặng Minh Trí', role: 'team_lead', team: 'hoainhonbac' },
  { username: 'tnv.hoalu1', displayName: 'Nguyễn Thị Thanh Tâm', role: 'volunteer', team: 'hoalu' },
  { username: 'tnv.hoalu2', displayName: 'Phạm Quốc Bảo', role: 'volunteer', team: 'hoalu' },
  { username: 'tnv.hoalu3', displayName: 'Lê Hoàng Yến', role: 'volunteer', team: 'hoalu' },
  { username: 'tnv.chuprong1', displayName: 'Nguyễn Ngọc Hân', role: 'volunteer', team: 'chuprong' },
  { username: 'tnv.chuprong2', displayName: 'Ksor Phước', role: 'volunteer', team: 'chuprong' },
  { username: 'tnv.chuprong3', displayName: "Rơ Châm H'Nga", role: 'volunteer', team: 'chuprong' },
  { username: 'tnv.bongson1', displayName: 'Huỳnh Thị Kim Ngân', role: 'volunteer', team: 'bongson' },
  { username: 'tnv.bongson2', displayName: 'Võ Hoàng Nhân', role: 'volunteer', team: 'bongson' },
  { username: 'tnv.tamquan1', displayName: 'Phan Thị Thu Trang', role: 'volunteer', team: 'tamquan' },
  { username: 'tnv.hoainhonbac1', displayName: 'Đinh Văn Hậu', role: 'volunteer', team: 'hoainhonbac' },
  // Last, so the indexes of the team members above (which the history plan uses) do not move.
  { username: 'xem.gialai', displayName: 'Rah Lan Thị Hòa', role: 'viewer', team: null },
];
