import type { privacyMethods } from '../../../shared/api/privacy';
import type { HandlersFor } from './types';

export const privacyHandlers: HandlersFor<typeof privacyMethods> = {};
