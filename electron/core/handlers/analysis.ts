import type { analysisMethods } from '../../../shared/api/analysis';
import type { HandlersFor } from './types';

export const analysisHandlers: HandlersFor<typeof analysisMethods> = {};
