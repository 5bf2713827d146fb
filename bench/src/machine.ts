/** The machine a benchmark ran on, recorded with its numbers. */
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started: the machine is shared. */
  loadAverage: number;
  date: string;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
    date: new Date().toISOString(),
  };
}

/** One line naming the machine, for tables. */
export function describeMachine(value: Machine): string {
  return `${value.cpu}, ${value.cores} cores, ${value.memoryGiB} GiB, Node ${value.node}, ${value.platform}, load ${value.loadAverage} at ${value.date.slice(0, 16).replace('T', ' ')} UTC`;
}
