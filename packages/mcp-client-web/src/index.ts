/** @module placeholder */
export {};
