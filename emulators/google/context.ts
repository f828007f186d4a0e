import type { ResolvedOptions } from './options.js';
import type { QuotaGuard } from './quota.js';
import type { EmulatorState } from './state.js';
import type { StatsRecorder } from './stats.js';

/** What every route module of the emulator works with. */
export interface EmulatorContext {
  options: ResolvedOptions;
  state: EmulatorState;
  quota: QuotaGuard;
  stats: StatsRecorder;
}
