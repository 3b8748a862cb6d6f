/** Goods categories a stall is filed under; codes are stored, labels shown. */
export const GOODS_CATEGORIES = {
  rau_cu: 'Rau củ',
  trai_cay: 'Trái cây',
  thit: 'Thịt',
  hai_san: 'Cá, hải sản',
  gao_do_kho: 'Gạo, đồ khô',
  tap_hoa: 'Tạp hóa',
  an_uong: 'Ăn uống',
  giai_khat: 'Giải khát, cà phê',
  quan_ao: 'Quần áo, vải',
  giay_dep: 'Giày dép, túi xách',
  my_pham: 'Mỹ phẩm',
  gia_dung: 'Đồ gia dụng',
  dien_thoai: 'Điện thoại, điện tử',
  hoa: 'Hoa, cây cảnh',
  vang_bac: 'Vàng bạc',
  dich_vu: 'Dịch vụ',
  khac: 'Khác',
} as const;

export type GoodsCategory = keyof typeof GOODS_CATEGORIES;

export function isGoodsCategory(value: unknown): value is GoodsCategory {
  return typeof value === 'string' && Object.hasOwn(GOODS_CATEGORIES, value);
}
