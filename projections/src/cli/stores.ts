import {
  eventStoreConfig,
  openCheckpointStore,
  openEventStore,
  openViewStore,
  readConfig,
  viewStoreConfig,
} from '@marquee/platform';

/**
 * The stores the CLI works on: the same configuration as the services (embedded defaults).
 * The projections' checkpoints live beside the views.
 */
export const openStores = async () => {
  const config = readConfig({ ...eventStoreConfig, ...viewStoreConfig });
  const eventStore = await openEventStore(config.EVENT_STORE_URL);
  const viewStore = await openViewStore(config.VIEW_STORE_URL);
  const checkpoints = await openCheckpointStore(config.VIEW_STORE_URL);
  return {
    eventStore,
    viewStore,
    checkpoints,
    urls: { eventStore: config.EVENT_STORE_URL, viewStore: config.VIEW_STORE_URL },
    close: async () => {
      await eventStore.close();
      await viewStore.close();
      await checkpoints.close();
    },
  };
};
