// fake sta.js
