/**
 * Name material for the demo data: owners' full names (Kinh names weighted as they are in Central Vietnam and
 * the Central Highlands, plus Jrai names for Gia Lai) and the way small traders name their stalls ("Tạp hóa
 * Kim Dung", "Sạp rau cô Lan", "Thịt heo Bảy Tùng"). Everything is invented; any likeness is chance.
 * All strings are NFC with the tone mark placed the traditional way ("Hòa", "Thủy").
 */
import type { GoodsCategory } from '../vocabulary/goods-categories.js';
import type { Rng } from './prng.js';

/** Where the site is: shapes names and specialities (Gia Lai highlands, or coastal old Bình Định). */
export type DemoRegion = 'gia_lai' | 'binh_dinh';

export interface OwnerName {
  /** "Nguyễn Thị Kim Dung", "Rơ Châm H'Lim". */
  full: string;
  /** The given name people call the owner by: "Dung", "H'Lim". */
  given: string;
  /** The name a shop sign uses: "Kim Dung" (secondary middle + given), or "" when there is none. */
  signName: string;
  female: boolean;
}

// Family names, weighted roughly by frequency in Central Vietnam (Võ and Huỳnh are common there).
const KINH_FAMILY: Readonly<Record<string, number>> = {
  Nguyễn: 30,
  Trần: 11,
  Lê: 9,
  Phạm: 6,
  Võ: 6,
  Huỳnh: 5,
  Phan: 4,
  Trương: 2,
  Đặng: 2,
  Bùi: 2,
  Đỗ: 2,
  Hồ: 2,
  Ngô: 2,
  Dương: 1,
  Đinh: 1,
  Đoàn: 1,
  Lương: 1,
  Lý: 1,
  Tạ: 1,
  Châu: 1,
  Mai: 1,
  Cao: 1,
  Lâm: 1,
  Hà: 1,
};

const FEMALE_SECOND_MIDDLE = [
  'Kim',
  'Thu',
  'Ngọc',
  'Thanh',
  'Minh',
  'Mỹ',
  'Bích',
  'Hồng',
  'Xuân',
  'Diệu',
  'Tuyết',
  'Hoài',
];
const FEMALE_GIVEN = [
  'Lan',
  'Hoa',
  'Dung',
  'Hương',
  'Mai',
  'Hạnh',
  'Thảo',
  'Nga',
  'Hằng',
  'Loan',
  'Liên',
  'Phượng',
  'Yến',
  'Trang',
  'Thu',
  'Hồng',
  'Nhung',
  'Vân',
  'Oanh',
  'Hiền',
  'Lệ',
  'Châu',
  'Quyên',
  'Nguyệt',
  'Thủy',
  'Sương',
  'Cúc',
  'Huệ',
  'Tâm',
  'Hà',
  'Ly',
  'Linh',
  'Diễm',
  'Trinh',
  'Phương',
  'Thắm',
  'Nhàn',
  'Tuyết',
  'Xuân',
  'Hòa',
  'Ngân',
  'Duyên',
  'Giang',
  'Bình',
  'Lài',
  'Thoa',
  'Hiếu',
  'Tư',
];
const MALE_MIDDLE = ['Minh', 'Đức', 'Hữu', 'Quốc', 'Công', 'Thanh', 'Ngọc', 'Xuân', 'Tấn', 'Đình', 'Quang', 'Trọng'];
const MALE_GIVEN = [
  'Tùng',
  'Hùng',
  'Dũng',
  'Tuấn',
  'Nam',
  'Sơn',
  'Hải',
  'Long',
  'Phong',
  'Thành',
  'Quang',
  'Khánh',
  'Lộc',
  'Tài',
  'Phúc',
  'Toàn',
  'Vinh',
  'Hiếu',
  'Bình',
  'Hòa',
  'Tâm',
  'Trung',
  'Cường',
  'Thắng',
  'Hậu',
  'Nghĩa',
  'Trí',
  'Bảy',
  'Hoàng',
  'Huy',
  'Đạt',
  'Thịnh',
  'Lợi',
  'Phước',
  'Danh',
  'Sang',
  'Thiện',
  'Kiên',
  'Tín',
  'Lực',
];

// Jrai family names of Gia Lai; women's given names often carry the H' prefix.
const JRAI_FAMILY = ['Rơ Châm', 'Rơ Mah', 'Ksor', 'Siu', 'Kpă', 'Nay', 'Rah Lan', 'Puih'];
const JRAI_FEMALE_GIVEN = ["H'Lim", "H'Bia", "H'Mai", "H'Linh", "H'Bun", "H'Nhi", "H'Liên", "H'Yơn", 'Hương', 'Nhung'];
const JRAI_MALE_GIVEN = ['Blao', 'Blơ', 'Phước', 'Long', 'Đoan', 'Thanh', 'Hiếu', 'Lâm', 'Chung', 'Yơn'];

/** Birth-order names used in the South and Centre ("Bảy Tùng" is Tùng, the sixth child; Hai is the eldest). */
export const BIRTH_ORDER_NAMES = ['Hai', 'Ba', 'Tư', 'Năm', 'Sáu', 'Bảy', 'Tám', 'Chín', 'Út'];

export function randomOwnerName(rng: Rng, options: { female: boolean; jrai: boolean }): OwnerName {
  const { female, jrai } = options;
  if (jrai) {
    const family = rng.pick(JRAI_FAMILY);
    const given = rng.pick(female ? JRAI_FEMALE_GIVEN : JRAI_MALE_GIVEN);
    return { full: `${family} ${given}`, given, signName: '', female };
  }
  const family = rng.weighted(KINH_FAMILY);
  if (female) {
    const given = rng.pick(FEMALE_GIVEN);
    const roll = rng.next();
    let second = '';
    if (roll < 0.45) second = rng.pick(FEMALE_SECOND_MIDDLE.filter((word) => word !== given));
    // Most women carry "Thị"; some younger ones carry only the decorative middle name ("Nguyễn Ngọc Quyên").
    const middle = second && roll < 0.1 ? second : second ? `Thị ${second}` : 'Thị';
    return { full: `${family} ${middle} ${given}`, given, signName: second ? `${second} ${given}` : '', female };
  }
  const given = rng.pick(MALE_GIVEN);
  if (rng.chance(0.55)) return { full: `${family} Văn ${given}`, given, signName: '', female };
  const middle = rng.pick(MALE_MIDDLE.filter((word) => word !== given));
  return { full: `${family} ${middle} ${given}`, given, signName: `${middle} ${given}`, female };
}

/**
 * Sign templates per goods category. Placeholders: {sign} the sign name ("Kim Dung", or "cô Lan" when the
 * owner has no decorative middle name), {hon} a form of address ("cô", "chị", "chú"…), {given} the given
 * name, {order} a birth-order name ("Bảy"), {fancy} a café name, {gold} a goldsmith's name. A template
 * may be limited to one region (specialities: phở khô and rau rừng in Gia Lai, bún chả cá and Tam Quan
 * coconuts in Bình Định).
 */
type Template = string | readonly [string, DemoRegion];

const SIGN_TEMPLATES: Readonly<Record<GoodsCategory, readonly Template[]>> = {
  rau_cu: [
    'Sạp rau {hon} {given}',
    'Rau củ {sign}',
    'Rau sạch {sign}',
    'Rau củ quả {order} {given}',
    ['Rau rừng {hon} {given}', 'gia_lai'],
    ['Măng, rau rừng {sign}', 'gia_lai'],
    ['Rau củ Đà Lạt {sign}', 'gia_lai'],
  ],
  trai_cay: [
    'Trái cây {sign}',
    'Sạp trái cây {hon} {given}',
    'Hoa quả {sign}',
    'Trái cây {order} {given}',
    ['Bơ, sầu riêng {sign}', 'gia_lai'],
    ['Dừa Tam Quan {order} {given}', 'binh_dinh'],
  ],
  thit: [
    'Thịt heo {order} {given}',
    'Thịt heo {sign}',
    'Thịt bò {sign}',
    'Gà vịt {hon} {given}',
    'Thịt heo sạch {hon} {given}',
    ['Nem chả {sign}', 'binh_dinh'],
  ],
  hai_san: [
    'Cá tươi {hon} {given}',
    'Hải sản {sign}',
    ['Cá sông {hon} {given}', 'gia_lai'],
    ['Cá đồng {order} {given}', 'gia_lai'],
    ['Cá biển {order} {given}', 'binh_dinh'],
    ['Hải sản Tam Quan {sign}', 'binh_dinh'],
    ['Cá ngừ, cá nục {hon} {given}', 'binh_dinh'],
  ],
  gao_do_kho: [
    'Gạo {sign}',
    'Đồ khô {hon} {given}',
    'Gạo, đồ khô {sign}',
    'Đại lý gạo {sign}',
    ['Tiêu, cà phê hạt {sign}', 'gia_lai'],
    ['Phở khô, muối kiến vàng {sign}', 'gia_lai'],
    ['Bánh tráng {sign}', 'binh_dinh'],
  ],
  tap_hoa: [
    'Tạp hóa {sign}',
    'Tạp hóa {hon} {given}',
    'Tạp hóa {order} {given}',
    'Cửa hàng tạp hóa {sign}',
    'Bách hóa {sign}',
  ],
  an_uong: [
    'Bún bò {sign}',
    'Cơm tấm {sign}',
    'Bánh mì {order} {given}',
    'Bánh canh {hon} {given}',
    'Quán cơm {sign}',
    'Bún riêu {hon} {given}',
    ['Phở khô {sign}', 'gia_lai'],
    ['Phở khô Gia Lai {order} {given}', 'gia_lai'],
    ['Bún mắm cua {hon} {given}', 'gia_lai'],
    ['Bún chả cá {sign}', 'binh_dinh'],
    ['Bánh xèo tôm nhảy {order} {given}', 'binh_dinh'],
    ['Bánh hỏi cháo lòng {sign}', 'binh_dinh'],
    ['Bánh ít lá gai {hon} {given}', 'binh_dinh'],
  ],
  giai_khat: [
    'Cà phê {fancy}',
    'Cà phê {fancy}',
    'Cà phê {sign}',
    'Nước mía {order} {given}',
    'Trà sữa {sign}',
    'Sinh tố {hon} {given}',
    ['Nước dừa {order} {given}', 'binh_dinh'],
  ],
  quan_ao: [
    'Vải sợi {sign}',
    'Quần áo {sign}',
    'Thời trang {sign}',
    'Shop {sign}',
    'Quần áo trẻ em {hon} {given}',
    'Áo quần {order} {given}',
    'Đồ bộ {hon} {given}',
  ],
  giay_dep: ['Giày dép {sign}', 'Túi xách {sign}', 'Giày dép {order} {given}'],
  my_pham: ['Mỹ phẩm {sign}', 'Shop mỹ phẩm {sign}', 'Mỹ phẩm {hon} {given}'],
  gia_dung: ['Đồ gia dụng {sign}', 'Nhôm nhựa {sign}', 'Điện gia dụng {sign}', 'Chén bát, đồ nhựa {hon} {given}'],
  dien_thoai: ['Điện thoại {sign}', 'Sửa điện thoại {sign}', 'Phụ kiện điện thoại {sign}', 'Di động {sign}'],
  hoa: ['Hoa tươi {sign}', 'Shop hoa {sign}', 'Hoa, cây cảnh {hon} {given}'],
  vang_bac: ['Tiệm vàng {gold}', 'Vàng bạc {gold}'],
  dich_vu: [
    'Tiệm tóc {sign}',
    'Sửa xe {order} {given}',
    'Photocopy {sign}',
    'Giặt ủi {hon} {given}',
    'Tiệm may {sign}',
    'Sửa xe máy {sign}',
    'Cắt tóc {hon} {given}',
  ],
  khac: ['Văn phòng phẩm {sign}', 'Đồ thờ cúng {sign}', 'Vé số {order} {given}', 'Đồ chơi trẻ em {sign}'],
};

const CAFE_NAMES: Readonly<Record<DemoRegion, readonly string[]>> = {
  gia_lai: ['Hương Rừng', 'Phố Núi', 'Cao Nguyên', 'Đồi Thông', 'Sương Mai', 'Góc Phố', 'Mộc', 'Ban Mai', 'Xưa'],
  binh_dinh: ['Gió Biển', 'Góc Phố', 'Lá Me', 'Sương Mai', 'Quê Nhà', 'Bình Yên', 'Mộc', 'Hoa Sữa', 'Ban Mai'],
};
const GOLDSMITH_NAMES = [
  'Kim Thành',
  'Kim Phát',
  'Kim Long',
  'Kim Ngân',
  'Kim Phúc',
  'Kim Quý',
  'Hoàng Kim',
  'Kim Hưng',
];

/** Share of women among owners; men are more common in repair shops and phone shops. */
export function femaleShare(category: GoodsCategory, marketplace: boolean): number {
  switch (category) {
    case 'dich_vu':
    case 'dien_thoai':
      return 0.35;
    case 'thit':
    case 'vang_bac':
      return 0.55;
    default:
      return marketplace ? 0.8 : 0.6;
  }
}

function formOfAddress(rng: Rng, owner: OwnerName): string {
  return owner.female ? rng.pick(['cô', 'cô', 'chị', 'bà']) : rng.pick(['chú', 'anh', 'ông']);
}

export function randomBusinessName(rng: Rng, category: GoodsCategory, owner: OwnerName, region: DemoRegion): string {
  const templates = SIGN_TEMPLATES[category]
    .filter((template) => typeof template === 'string' || template[1] === region)
    .map((template) => (typeof template === 'string' ? template : template[0]));
  const hon = formOfAddress(rng, owner);
  const values: Record<string, string> = {
    sign: owner.signName || `${hon} ${owner.given}`,
    hon,
    given: owner.given,
    order: rng.pick(BIRTH_ORDER_NAMES.filter((name) => name !== owner.given)),
    fancy: rng.pick(CAFE_NAMES[region]),
    gold: rng.pick(GOLDSMITH_NAMES),
  };
  return rng.pick(templates).replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

/** Vietnamese mobile prefixes (Viettel 03x/086/09x, Vinaphone 08x/091/094, MobiFone 07x/090/093). */
const MOBILE_PREFIXES = [
  '090',
  '091',
  '093',
  '094',
  '096',
  '097',
  '098',
  '032',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '039',
  '086',
  '088',
  '070',
  '077',
  '079',
  '081',
  '083',
  '084',
  '085',
];

export function randomMobile(rng: Rng): string {
  let rest = '';
  for (let i = 0; i < 7; i++) rest += String(rng.int(0, 9));
  return rng.pick(MOBILE_PREFIXES) + rest;
}
