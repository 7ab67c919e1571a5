// Amounts as the API sends them (integer minor units) shown as money: 1250 in EUR is "€12.50".
export function money(amount: number, currency: string): string {
  const value = amount / 100;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(value);
  } catch {
    // A currency code Intl does not know: the number and the code as configured.
    return `${value.toFixed(2)} ${currency}`;
  }
}
