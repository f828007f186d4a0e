// One way to build the API app in tests: the API suite's helper, shared.
export { apiToken as testApiToken, authHeaders, createApiApp as createTestApp } from '../api/support.js';
