import type { Receiver } from '../../receiver/types.js';
import type { Provider } from '../../providers/types.js';
import type { PresetInfo, PresetKeys } from '../presets.js';
import type { History } from './history.js';
import type { DeliveryRecord } from './record.js';

/** What every part of `listen` shares: the preset and its keys, the history, where to forward. */
export interface Listener {
  preset: PresetInfo;
  provider: Provider;
  keys: PresetKeys;
  /** A hookguard receiver on the preset, answering the sender when there is no app to forward to. */
  receiver: Receiver;
  history: History;
  /** The app's webhook URL (--forward). */
  forward?: string;
  forwardAll: boolean;
  /** Secret strings to redact from everything recorded or served. */
  secrets: string[];
  /** This listener's own base URL, e.g. http://127.0.0.1:4000 (known once bound). */
  origin: string;
  /** Tell the page (and the terminal) that a record is new or changed. */
  publish(record: DeliveryRecord, change: 'delivery' | 'replay'): void;
}
