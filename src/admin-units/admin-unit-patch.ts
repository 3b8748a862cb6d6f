/**
 * The admin-unit patch format (README "Cập nhật đơn vị hành chính"): what a file given to
 * `phoqr admin-units update --from FILE` may say, read strictly. Pure: it checks the shape only; whether the
 * codes exist and every site is placed is the service's to check against the registry.
 *
 * Every error names the change (its number in the list, from 1, and its kind) and the field, in Vietnamese,
 * so whoever wrote the file can find the line to mend.
 */

export const PROVINCE_TYPES = ['tinh', 'thanh_pho'] as const;
export const COMMUNE_TYPES = ['xa', 'phuong', 'dac_khu'] as const;
export type ProvinceType = (typeof PROVINCE_TYPES)[number];
export type CommuneType = (typeof COMMUNE_TYPES)[number];

export const PROVINCE_TYPE_LABELS: Record<ProvinceType, string> = { tinh: 'tỉnh', thanh_pho: 'thành phố' };
export const COMMUNE_TYPE_WORDS: Record<CommuneType, string> = { xa: 'xã', phuong: 'phường', dac_khu: 'đặc khu' };

/** Why and from when: every change carries the resolution that decided it and its effective date. */
interface Decided {
  /** e.g. "Nghị quyết số 1662/NQ-UBTVQH15". */
  readonly resolution: string;
  /** 'YYYY-MM-DD'; null only when the patch's note says why the date is not known. */
  readonly effectiveOn: string | null;
}

export interface NewUnit<T> {
  readonly code: string;
  /** Required for a unit that does not exist yet; for an existing one, a new name (optional). */
  readonly name?: string;
  readonly unitType?: T;
}

export interface SplitPart extends NewUnit<CommuneType> {
  /** The sites of the split commune that go to this part: together, every one of its sites exactly once. */
  readonly sites: readonly number[];
}

export type PatchChange = Decided &
  (
    | { readonly kind: 'rename_province'; readonly code: string; readonly from: string; readonly to: string }
    | { readonly kind: 'rename_commune'; readonly code: string; readonly from: string; readonly to: string }
    | {
        readonly kind: 'retype_province';
        readonly code: string;
        readonly fromType: ProvinceType;
        readonly toType: ProvinceType;
        readonly from?: string;
        readonly to?: string;
      }
    | {
        readonly kind: 'retype_commune';
        readonly code: string;
        readonly fromType: CommuneType;
        readonly toType: CommuneType;
        readonly from?: string;
        readonly to?: string;
      }
    | { readonly kind: 'merge_communes'; readonly from: readonly string[]; readonly into: NewUnit<CommuneType> }
    | { readonly kind: 'split_commune'; readonly code: string; readonly into: readonly SplitPart[] }
    | {
        readonly kind: 'add_commune';
        readonly code: string;
        readonly provinceCode: string;
        readonly name: string;
        readonly unitType: CommuneType;
      }
    | { readonly kind: 'add_province'; readonly code: string; readonly name: string; readonly unitType: ProvinceType }
    | { readonly kind: 'remove_commune'; readonly code: string; readonly from: string }
    | { readonly kind: 'remove_province'; readonly code: string; readonly from: string }
    | { readonly kind: 'merge_provinces'; readonly from: readonly string[]; readonly into: NewUnit<ProvinceType> }
    | { readonly kind: 'rename_site'; readonly siteId: number; readonly from: string; readonly to: string }
  );

export type PatchKind = PatchChange['kind'];

export interface AdminUnitPatch {
  readonly id: string;
  readonly title: string;
  /** Free text for the reader (sources, what is not verified). */
  readonly note: string;
  readonly changes: readonly PatchChange[];
}

/** Each kind in words, for errors and the printed diff. */
export const PATCH_KIND_LABELS: Record<PatchKind, string> = {
  rename_province: 'đổi tên tỉnh',
  rename_commune: 'đổi tên xã',
  retype_province: 'đổi loại tỉnh',
  retype_commune: 'đổi loại xã',
  merge_communes: 'nhập xã',
  split_commune: 'chia xã',
  add_commune: 'thêm xã',
  add_province: 'thêm tỉnh',
  remove_commune: 'bỏ xã',
  remove_province: 'bỏ tỉnh',
  merge_provinces: 'nhập tỉnh',
  rename_site: 'đổi tên địa điểm',
};

const KINDS = Object.keys(PATCH_KIND_LABELS) as PatchKind[];

/** The fields each kind allows besides kind, resolution and effective_on: anything else is refused. */
const FIELDS: Record<PatchKind, readonly string[]> = {
  rename_province: ['code', 'from', 'to'],
  rename_commune: ['code', 'from', 'to'],
  retype_province: ['code', 'from_type', 'to_type', 'from', 'to'],
  retype_commune: ['code', 'from_type', 'to_type', 'from', 'to'],
  merge_communes: ['from', 'into'],
  split_commune: ['code', 'into'],
  add_commune: ['code', 'province_code', 'name', 'unit_type'],
  add_province: ['code', 'name', 'unit_type'],
  remove_commune: ['code', 'from'],
  remove_province: ['code', 'from'],
  merge_provinces: ['from', 'into'],
  rename_site: ['site_id', 'from', 'to'],
};

export class PatchFormatError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'PatchFormatError';
  }
}

const PATCH_ID = /^[a-z0-9][a-z0-9._-]{2,79}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_NAME = 120;

function isRealDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** NFC, single spaces: names compare and store as people read them. */
export function cleanName(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Reads one change's fields, collecting every problem under the change's name. */
class ChangeReader {
  constructor(
    private readonly where: string,
    private readonly raw: Record<string, unknown>,
    private readonly problems: string[],
  ) {}

  fail(field: string, message: string): void {
    this.problems.push(`${this.where}, trường "${field}": ${message}`);
  }

  private present(field: string, optional: boolean): boolean {
    if (this.raw[field] !== undefined) return true;
    if (!optional) this.fail(field, 'thiếu.');
    return false;
  }

  text(field: string, optional = false): string | undefined {
    if (!this.present(field, optional)) return undefined;
    const value = this.raw[field];
    if (typeof value !== 'string' || cleanName(value) === '') {
      this.fail(field, 'phải là một chuỗi chữ không rỗng.');
      return undefined;
    }
    const clean = cleanName(value);
    if (clean.length > MAX_NAME) this.fail(field, `dài quá ${MAX_NAME} ký tự.`);
    return clean;
  }

  code(field: string, digits: 2 | 5, value: unknown = this.raw[field], optional = false): string | undefined {
    if (value === undefined) {
      if (!optional) this.fail(field, 'thiếu.');
      return undefined;
    }
    const unit = digits === 2 ? 'mã tỉnh' : 'mã xã';
    if (typeof value !== 'string' || !new RegExp(`^\\d{${digits}}$`).test(value)) {
      this.fail(field, `${unit} phải là chuỗi ${digits} chữ số (ví dụ "${digits === 2 ? '52' : '23575'}").`);
      return undefined;
    }
    return value;
  }

  codes(field: string, digits: 2 | 5): string[] {
    const value = this.raw[field];
    if (!Array.isArray(value) || value.length === 0) {
      this.fail(field, 'phải là danh sách mã không rỗng.');
      return [];
    }
    const codes = value.map((item) => this.code(field, digits, item)).filter((c): c is string => c !== undefined);
    if (new Set(codes).size !== codes.length) this.fail(field, 'có mã lặp lại.');
    return codes;
  }

  type<T extends string>(field: string, allowed: readonly T[], value: unknown = this.raw[field], optional = false) {
    if (value === undefined) {
      if (!optional) this.fail(field, 'thiếu.');
      return undefined;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(field, `phải là một trong ${allowed.map((a) => `"${a}"`).join(', ')}.`);
      return undefined;
    }
    return value as T;
  }

  siteIds(where: string, value: unknown): number[] {
    if (!Array.isArray(value) || !value.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) {
      this.fail(where, 'phải là danh sách mã địa điểm (số nguyên dương), có thể rỗng.');
      return [];
    }
    return value as number[];
  }

  unit<T extends string>(field: string, digits: 2 | 5, types: readonly T[]): NewUnit<T> | undefined {
    const value = this.raw[field];
    if (!isObject(value)) {
      this.fail(field, 'phải là một đối tượng {"code", "name"?, "unit_type"?}.');
      return undefined;
    }
    return this.unitOf(field, value, digits, types, ['code', 'name', 'unit_type']);
  }

  unitOf<T extends string>(
    field: string,
    value: Record<string, unknown>,
    digits: 2 | 5,
    types: readonly T[],
    allowed: readonly string[],
  ): NewUnit<T> | undefined {
    for (const key of Object.keys(value))
      if (!allowed.includes(key)) this.fail(`${field}.${key}`, 'không có trong định dạng.');
    const code = this.code(`${field}.code`, digits, value.code);
    let name: string | undefined;
    if (value.name !== undefined) {
      if (typeof value.name !== 'string' || cleanName(value.name) === '')
        this.fail(`${field}.name`, 'phải là chuỗi chữ không rỗng.');
      else name = cleanName(value.name);
    }
    const unitType = this.type(`${field}.unit_type`, types, value.unit_type, true);
    if (code === undefined) return undefined;
    return { code, ...(name === undefined ? {} : { name }), ...(unitType === undefined ? {} : { unitType }) };
  }
}

function readChange(raw: unknown, index: number, problems: string[], undated: boolean): PatchChange | undefined {
  const number = index + 1;
  if (!isObject(raw)) {
    problems.push(`Thay đổi ${number}: phải là một đối tượng JSON.`);
    return undefined;
  }
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(KINDS as string[]).includes(kind)) {
    problems.push(`Thay đổi ${number}, trường "kind": phải là một trong ${KINDS.join(', ')}.`);
    return undefined;
  }
  const k = kind as PatchKind;
  const before = problems.length;
  const r = new ChangeReader(`Thay đổi ${number} (${PATCH_KIND_LABELS[k]})`, raw, problems);
  for (const key of Object.keys(raw)) {
    if (!['kind', 'resolution', 'effective_on', ...FIELDS[k]].includes(key))
      r.fail(key, 'không có trong định dạng của loại này.');
  }
  const resolution = r.text('resolution');
  let effectiveOn: string | null = null;
  if (raw.effective_on === null && undated) effectiveOn = null;
  else if (raw.effective_on === null)
    r.fail('effective_on', 'chỉ được để null khi "note" của bản cập nhật giải thích vì sao.');
  else if (typeof raw.effective_on !== 'string' || !isRealDate(raw.effective_on))
    r.fail('effective_on', 'phải là ngày có hiệu lực dạng "YYYY-MM-DD".');
  else effectiveOn = raw.effective_on;
  const decided = { resolution: resolution ?? '', effectiveOn };

  const change = ((): PatchChange | undefined => {
    switch (k) {
      case 'rename_province':
      case 'rename_commune': {
        const code = r.code('code', k === 'rename_province' ? 2 : 5);
        const from = r.text('from');
        const to = r.text('to');
        if (from !== undefined && from === to) r.fail('to', 'trùng với tên cũ.');
        return code && from && to ? { kind: k, code, from, to, ...decided } : undefined;
      }
      case 'retype_province':
      case 'retype_commune': {
        const province = k === 'retype_province';
        const code = r.code('code', province ? 2 : 5);
        const types: readonly string[] = province ? PROVINCE_TYPES : COMMUNE_TYPES;
        const fromType = r.type('from_type', types);
        const toType = r.type('to_type', types);
        if (fromType !== undefined && fromType === toType) r.fail('to_type', 'trùng với loại cũ.');
        const from = r.text('from', true);
        const to = r.text('to', true);
        if ((from === undefined) !== (to === undefined))
          r.fail(from === undefined ? 'from' : 'to', 'đổi tên cùng lúc cần cả "from" và "to".');
        if (!code || !fromType || !toType) return undefined;
        const names = from && to ? { from, to } : {};
        return province
          ? { kind: k, code, fromType: fromType as ProvinceType, toType: toType as ProvinceType, ...names, ...decided }
          : { kind: k, code, fromType: fromType as CommuneType, toType: toType as CommuneType, ...names, ...decided };
      }
      case 'merge_communes':
      case 'merge_provinces': {
        const digits = k === 'merge_communes' ? 5 : 2;
        const from = r.codes('from', digits);
        const into = k === 'merge_communes' ? r.unit('into', 5, COMMUNE_TYPES) : r.unit('into', 2, PROVINCE_TYPES);
        const units = new Set([...from, ...(into ? [into.code] : [])]);
        if (from.length > 0 && into && units.size < 2)
          r.fail('from', 'cần ít nhất hai đơn vị (các đơn vị nhập và đơn vị nhận).');
        if (!into || from.length === 0) return undefined;
        return k === 'merge_communes'
          ? { kind: k, from, into: into as NewUnit<CommuneType>, ...decided }
          : { kind: k, from, into: into as NewUnit<ProvinceType>, ...decided };
      }
      case 'split_commune': {
        const code = r.code('code', 5);
        const rawParts = raw.into;
        if (!Array.isArray(rawParts) || rawParts.length < 2) {
          r.fail('into', 'phải là danh sách ít nhất hai phần {"code", "name"?, "unit_type"?, "sites"}.');
          return undefined;
        }
        const parts: SplitPart[] = [];
        rawParts.forEach((part, i) => {
          const field = `into[${i + 1}]`;
          if (!isObject(part)) return r.fail(field, 'phải là một đối tượng.');
          const unit = r.unitOf(field, part, 5, COMMUNE_TYPES, ['code', 'name', 'unit_type', 'sites']);
          const sites = r.siteIds(`${field}.sites`, part.sites);
          if (unit) parts.push({ ...unit, sites });
        });
        const codes = parts.map((p) => p.code);
        if (new Set(codes).size !== codes.length) r.fail('into', 'có mã xã lặp lại.');
        const sites = parts.flatMap((p) => p.sites);
        if (new Set(sites).size !== sites.length) r.fail('into', 'một địa điểm được giao cho hai phần.');
        return code ? { kind: k, code, into: parts, ...decided } : undefined;
      }
      case 'add_commune': {
        const code = r.code('code', 5);
        const provinceCode = r.code('province_code', 2);
        const name = r.text('name');
        const unitType = r.type('unit_type', COMMUNE_TYPES);
        return code && provinceCode && name && unitType
          ? { kind: k, code, provinceCode, name, unitType, ...decided }
          : undefined;
      }
      case 'add_province': {
        const code = r.code('code', 2);
        const name = r.text('name');
        const unitType = r.type('unit_type', PROVINCE_TYPES);
        return code && name && unitType ? { kind: k, code, name, unitType, ...decided } : undefined;
      }
      case 'remove_commune':
      case 'remove_province': {
        const code = r.code('code', k === 'remove_province' ? 2 : 5);
        const from = r.text('from');
        return code && from ? { kind: k, code, from, ...decided } : undefined;
      }
      case 'rename_site': {
        const siteId = raw.site_id;
        if (!Number.isSafeInteger(siteId) || (siteId as number) <= 0)
          r.fail('site_id', 'phải là mã địa điểm (số nguyên dương).');
        const from = r.text('from');
        const to = r.text('to');
        if (from !== undefined && from === to) r.fail('to', 'trùng với tên cũ.');
        return Number.isSafeInteger(siteId) && from && to
          ? { kind: k, siteId: siteId as number, from, to, ...decided }
          : undefined;
      }
    }
  })();
  return problems.length === before ? change : undefined;
}

/**
 * The patch in `text` (the file's JSON), or PatchFormatError listing every problem found: unknown fields,
 * missing or malformed ones, each under the number and kind of its change.
 */
export function parseAdminUnitPatch(text: string): AdminUnitPatch {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PatchFormatError([`Tệp không phải JSON hợp lệ: ${(error as Error).message}`]);
  }
  const problems: string[] = [];
  if (!isObject(raw)) throw new PatchFormatError(['Tệp phải là một đối tượng JSON {"id", "title", "changes"}.']);
  for (const key of Object.keys(raw)) {
    if (!['id', 'title', 'note', 'changes'].includes(key)) problems.push(`Trường "${key}" không có trong định dạng.`);
  }
  const id = raw.id;
  if (typeof id !== 'string' || !PATCH_ID.test(id))
    problems.push(
      'Trường "id": phải là 3–80 ký tự chữ thường không dấu, số, ".", "_" hoặc "-" (ví dụ "2026-06-gia-lai").',
    );
  const title = raw.title;
  if (typeof title !== 'string' || cleanName(title) === '')
    problems.push('Trường "title": thiếu tên của bản cập nhật.');
  const note = raw.note;
  if (note !== undefined && typeof note !== 'string') problems.push('Trường "note": phải là chuỗi chữ.');
  const undated = typeof note === 'string' && cleanName(note) !== '';
  const changes: PatchChange[] = [];
  if (!Array.isArray(raw.changes) || raw.changes.length === 0) {
    problems.push('Trường "changes": phải là danh sách thay đổi không rỗng.');
  } else {
    raw.changes.forEach((item, index) => {
      const change = readChange(item, index, problems, undated);
      if (change) changes.push(change);
    });
  }
  if (problems.length > 0) throw new PatchFormatError(problems);
  return {
    id: id as string,
    title: cleanName(title as string),
    note: undated ? cleanName(note as string) : '',
    changes,
  };
}
