// `npm start`: brings up what Marquee has so far on the embedded defaults and says what it is.
// Services join here as their issues land (command API, projections, encoder, edges, player).
import { eventStoreConfig, openEventStore, readConfig } from '@marquee/platform';

const config = readConfig(eventStoreConfig);
const store = await openEventStore(config.EVENT_STORE_URL);
const head = await store.headPosition();
await store.close();

console.log(`Marquee
  event store   ${config.EVENT_STORE_URL} (ready, ${head} event${head === 1 ? '' : 's'})
  domain        accounts, titles, playback, edges, steering: @marquee/domain

No HTTP service exists yet: the command API, projections, query API, encoders, edges and the
player arrive with their issues, and this command will start them. Run the tests with: npm test`);
