import { isErasedAccountNumber } from './data-rights.js';

/** "•••• 4567": lists show only the last 4 digits of an account; an erased account shows that it was erased. */
export function maskAccount(accountNumber: string): string {
  if (isErasedAccountNumber(accountNumber)) return 'đã xóa';
  return `•••• ${accountNumber.slice(-4)}`;
}
