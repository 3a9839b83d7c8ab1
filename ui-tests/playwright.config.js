/**
 * Galata's Playwright configuration, with the browser pointed at Debian's
 * chromium: `npx playwright install` cannot download browsers here.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// CELLFLOW_UI_PORT lets two checkouts run their UI tests at once.
const port = Number(process.env.CELLFLOW_UI_PORT || 8888);

module.exports = {
  ...baseConfig,
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    // Recording video needs Playwright's own ffmpeg download, impossible here too.
    video: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run']
    }
  },
  webServer: {
    command: `npm start -- --port=${port}`,
    url: `http://localhost:${port}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
