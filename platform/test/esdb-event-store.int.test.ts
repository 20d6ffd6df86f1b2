import { openEventStore } from '../src';
import { eventStoreContract } from './event-store.contract';

// No EventStoreDB server can run on the build machines, so this suite is skipped (and
// reported) there. `docker compose up -d eventstore` then
// `ESDB_URL='esdb://localhost:2113?tls=false' npm test` runs it against a real one.
const url = process.env.ESDB_URL ?? '';

eventStoreContract('EventStoreDB', () => ({ url, open: () => openEventStore(url) }), { skip: url === '' });
