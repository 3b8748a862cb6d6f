/** "•••• 4567": lists show only the last 4 digits of an account. */
export function maskAccount(accountNumber: string): string {
  return `•••• ${accountNumber.slice(-4)}`;
}
