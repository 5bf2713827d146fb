/** Danish standard VAT (moms) rate. */
export const VAT_RATE = 0.25;

/** DKK amount → integer øre. */
export function toOre(amount: number): number {
  return Math.round(amount * 100);
}

/** Integer øre → DKK amount. */
export function fromOre(ore: number): number {
  return ore / 100;
}

/** Formats a DKK amount the Danish way, e.g. `12.345,50 kr.` */
export function formatDkk(amount: number): string {
  return `${amount.toLocaleString('da-DK', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kr.`;
}
