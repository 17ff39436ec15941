import { describe, expect, it } from 'vitest';
import { cohortTable, monthIndex } from '../../src/domain/cohorts';

const day = (d: string, value: number, orders = 1) => ({ day: d, orders, value });

describe('cohortTable', () => {
  it('groups by the month of the first purchase and counts buyers, share, orders and revenue per month since', () => {
    const table = cohortTable(
      [
        { days: [day('2030-01-31', 100), day('2030-02-01', 50, 2), day('2030-04-15', 30)] },
        { days: [day('2030-01-02', 40)] },
        { days: [day('2030-03-10', 80), day('2030-04-01', 20)] },
      ],
      '2030-04-20',
    );
    expect(table).toEqual([
      {
        cohort: '2030-01',
        customers: 2,
        cells: [
          { month: 0, customers: 2, share: 1, orders: 2, revenue: 140 },
          { month: 1, customers: 1, share: 0.5, orders: 2, revenue: 50 },
          { month: 2, customers: 0, share: 0, orders: 0, revenue: 0 },
          { month: 3, customers: 1, share: 0.5, orders: 1, revenue: 30 },
        ],
      },
      {
        cohort: '2030-03',
        customers: 1,
        cells: [
          { month: 0, customers: 1, share: 1, orders: 1, revenue: 80 },
          { month: 1, customers: 1, share: 1, orders: 1, revenue: 20 },
        ],
      },
    ]);
  });

  it('counts months across a year end and leaves out customers without purchases', () => {
    expect(monthIndex('2030-12-31') + 1).toBe(monthIndex('2031-01-01'));
    expect(cohortTable([{ days: [day('2030-12-31', 10), day('2031-01-01', 5)] }, { days: [] }], '2031-01-01')).toEqual([
      {
        cohort: '2030-12',
        customers: 1,
        cells: [
          { month: 0, customers: 1, share: 1, orders: 1, revenue: 10 },
          { month: 1, customers: 1, share: 1, orders: 1, revenue: 5 },
        ],
      },
    ]);
  });
});
