// Pathway's Tasklist configuration (shipped by pathway-service; it replaces the webapps' default config.js).
// The documented customisation points of Camunda 7 Tasklist: the app's name and vendor, custom scripts
// (the Journey tab and the variance ledger, ES modules under app/tasklist/pathway/), the keyboard shortcuts
// of the default file. The look, and the hidden "migrate to Camunda 8" notice, are in styles/user-styles.css.
export default {
  app: {
    name: 'Tasklist',
    vendor: 'Pathway'
  },
  customScripts: [
    'pathway/journey.js',
    'pathway/ledger.js'
  ],
  shortcuts: {
    claimTask: {
      key: 'ctrl+alt+c',
      description: 'claims the currently selected task'
    },
    focusFilter: {
      key: 'ctrl+shift+f',
      description: 'set the focus to the first filter in the list'
    },
    focusList: {
      key: 'ctrl+alt+l',
      description: 'sets the focus to the first task in the list'
    },
    focusForm: {
      key: 'ctrl+alt+f',
      description: 'sets the focus to the first input field in a task form'
    },
    startProcess: {
      key: 'ctrl+alt+p',
      description: 'opens the start process modal dialog'
    }
  }
};
