/** Kysely table types of the trigger-kept rollups: traffic and credits per day (and hour) and cell, visitor sets and sketches. */
import type { Generated } from 'kysely';

/** Rollups: '' stands for "none" in key columns (see schema/0003_conversions.sql). */
export interface TouchDailyTable {
  day: string;
  campaign_id: string;
  link_id: string;
  channel: string;
  device_class: string;
  type: string;
  is_bot: number;
  touches: number;
}

export interface TouchHourlyTable {
  hour: string;
  campaign_id: string;
  channel: string;
  is_bot: number;
  touches: number;
}

/** The (campaign, link, channel, device class) combinations of human touches, numbered for visitor_days. */
export interface TouchCellTable {
  id: Generated<number>;
  campaign_id: string;
  link_id: string;
  channel: string;
  device_class: string;
}

/** Daily visitor sets per touch cell; `visitor_daily` is the view with the cell's dimensions spelled out. */
export interface VisitorDayTable {
  day: string;
  cell: number;
  visitor_id: string;
}

export interface VisitorDailyTable {
  day: string;
  channel: string;
  campaign_id: string;
  link_id: string;
  device_class: string;
  visitor_id: string;
}

/** HyperLogLog registers per day and cell of a shape (schema/0006_visitor_sketch.sql). */
export interface VisitorSketchTable {
  shape: number;
  day: string;
  campaign_id: string;
  channel: string;
  device_class: string;
  link_id: string;
  registers: string;
}

export interface CreditDailyTable {
  day: string;
  model: string;
  channel: string;
  campaign_id: string;
  link_id: string;
  device_class: string;
  currency: string;
  conversions: number;
  revenue: number;
}

export interface CreditHourlyTable {
  hour: string;
  model: string;
  campaign_id: string;
  channel: string;
  currency: string;
  conversions: number;
  revenue: number;
}

export interface RollupTables {
  touch_daily: TouchDailyTable;
  touch_hourly: TouchHourlyTable;
  touch_cells: TouchCellTable;
  visitor_days: VisitorDayTable;
  visitor_daily: VisitorDailyTable;
  visitor_sketch: VisitorSketchTable;
  visitor_sketch_stale: { day: string };
  credit_daily: CreditDailyTable;
  credit_hourly: CreditHourlyTable;
}
