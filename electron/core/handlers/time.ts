import type { timeMethods } from '../../../shared/api/time';
import type { HandlersFor } from './types';

export const timeHandlers: HandlersFor<typeof timeMethods> = {};
