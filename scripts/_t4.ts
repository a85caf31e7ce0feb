import { analyze } from '../shared/analysis';
import { generateMap } from '../bench/lib/generate';
const map = generateMap(10000, { seed: 10000 });
for (let i = 0; i < 3; i++) analyze(map);
