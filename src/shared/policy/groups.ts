/** `*` in a stage is anyone the gateway authenticated; any other name is a group from the tokens file. */
export const ANYONE = '*';
