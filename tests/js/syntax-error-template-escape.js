// exit: 1
const s = `line one
${value} \unicode`;
