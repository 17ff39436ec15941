/**
 * Purchase cohorts, pure: customers grouped by the UTC month of their first
 * purchase; for each month since (0 = the month of the first purchase, 1 the
 * next calendar month, …) the customers who bought in it, their share of the
 * cohort and the revenue. Months after the current one are not shown.
 */
import { toCents, toMillionths } from './currency';

/** The membership filter: bonus program members, or customers who are not members. */
export const MEMBERSHIPS = ['member', 'non_member'] as const;
export type Membership = (typeof MEMBERSHIPS)[number];

/** A customer's purchase days in time order: UTC day, orders that day and their value in the reporting currency. */
export interface CohortCustomer {
  days: ReadonlyArray<{ day: string; orders: number; value: number }>;
}

export interface CohortCell {
  /** Months since the cohort's month. */
  month: number;
  customers: number;
  /** customers ÷ the cohort's customers. */
  share: number;
  orders: number;
  revenue: number;
}

export interface Cohort {
  /** YYYY-MM of the first purchase. */
  cohort: string;
  customers: number;
  cells: CohortCell[];
}

/** Months since year 0 of a YYYY-MM… string (a day or a month). */
export const monthIndex = (day: string): number => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;

const monthName = (index: number) => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The first day of the month eleven months before `now`'s: the start of the last twelve months of cohorts. */
export const cohortStart = (now: number): string => `${monthName(monthIndex(new Date(now).toISOString()) - 11)}-01`;

/** The cohorts of `customers` (first purchase month ascending), each with a cell per month up to the month of `today`. */
export function cohortTable(customers: readonly CohortCustomer[], today: string): Cohort[] {
  const last = monthIndex(today);
  const byMonth = new Map<number, CohortCustomer[]>();
  for (const customer of customers) {
    if (customer.days.length === 0) continue;
    const first = monthIndex(customer.days[0].day);
    byMonth.set(first, [...(byMonth.get(first) ?? []), customer]);
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, group]) => {
      const cells: CohortCell[] = [];
      for (let month = 0; start + month <= last; month += 1) {
        let buyers = 0;
        let orders = 0;
        let revenue = 0;
        for (const customer of group) {
          const inMonth = customer.days.filter((day) => monthIndex(day.day) === start + month);
          if (inMonth.length > 0) buyers += 1;
          orders += inMonth.reduce((sum, day) => sum + day.orders, 0);
          revenue += inMonth.reduce((sum, day) => sum + day.value, 0);
        }
        cells.push({ month, customers: buyers, share: toMillionths(buyers / group.length), orders, revenue: toCents(revenue) });
      }
      return { cohort: monthName(start), customers: group.length, cells };
    });
}
