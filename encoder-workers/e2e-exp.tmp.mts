import { encodePackage } from './src/encoding/encode-package.ts';
const r = await encodePackage({ sourcePath: '/tmp/e2e-exp/src720.mp4', originDir: '/tmp/e2e-exp/origin', titleId: 't1', encodingId: 'e1' });
console.log(JSON.stringify(r.ladder));
