/**
 * How an account number is shown where the full number is not needed (lists, the data-quality page, the
 * sticker check): the last 4 digits only. Shared by the accounts feature and the adoption engine.
 */
export function maskAccount(accountNumber: string): string {
  return `•••• ${accountNumber.slice(-4)}`;
}
