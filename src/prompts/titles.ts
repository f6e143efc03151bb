/** The full-screen wizard's header for each command (kept apart from ink, which only the ink front end loads). */
export const defaultTitle = 'ha-install — High Availability setup';
export const promoteTitle = 'ha-install — promote this standby to primary';
export const restoreTitle = 'ha-install — restore the old master as the new standby';
export const switchoverTitle = 'ha-install — switch over: swap the master and the standby';
export const teardownTitle = 'ha-install — tear down the pair: back to standalone';
