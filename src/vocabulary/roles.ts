export const ROLES = ['admin', 'leader', 'team_lead', 'volunteer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Quản trị (Tỉnh đoàn)',
  leader: 'Lãnh đạo',
  team_lead: 'Tổ trưởng / Bí thư Đoàn xã',
  volunteer: 'Tình nguyện viên',
  viewer: 'Chỉ xem',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * What each role may change or read. Leaders and viewers read figures; volunteers work stalls; leads also run
 * sites. Owner names, phones, full account numbers and payable QR codes are only for the roles that work the
 * stall (Decree 356/2025: access only as needed), and only inside their reach.
 */
export const PERMISSIONS = {
  manageSites: ['admin', 'team_lead'],
  manageStalls: ['admin', 'team_lead', 'volunteer'],
  // Opening user management: team leads manage only the volunteers inside their reach (users service).
  manageUsers: ['admin', 'team_lead'],
  readPersonalData: ['admin', 'team_lead', 'volunteer'],
  // The work list (/work): deciding payee-change requests of the stalls in one's reach.
  handleWork: ['admin', 'team_lead'],
  // Provinces and communes are the keys of every figure in the country: changed by a national admin only.
  manageAdminUnits: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
