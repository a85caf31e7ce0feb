import type { exchangeMethods } from '../../../shared/api/exchange';
import type { HandlersFor } from './types';

export const exchangeHandlers: HandlersFor<typeof exchangeMethods> = {};
