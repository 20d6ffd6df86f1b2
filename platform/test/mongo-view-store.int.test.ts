import { openViewStore } from '../src';
import { viewStoreContract } from './view-store.contract';

// No MongoDB server can run on the build machines, so this suite is skipped (and reported)
// there. `docker compose up -d mongodb` then
// `MONGO_URL='mongodb://localhost:27017/marquee_test?directConnection=true' npm test` runs it.
const url = process.env.MONGO_URL ?? '';

viewStoreContract('MongoDB', () => openViewStore(url), { skip: url === '' });
