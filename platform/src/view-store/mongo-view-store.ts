export const openMongoViewStore = (_url: string): never => { throw new Error('pending'); };
