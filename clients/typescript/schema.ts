// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';

export class Move extends Schema {
    @type("uint8") public from!: number;
    @type("uint8") public to!: number;
    @type("boolean") public hit!: boolean;
}

export class Player extends Schema {
    @type("uint8") public seat!: number;
    @type("string") public name!: string;
    @type("string") public colour!: string;
    @type("number") public rating!: number;
    @type("boolean") public connected!: boolean;
    @type("boolean") public bot!: boolean;
    @type("number") public reserveMs!: number;
    @type("boolean") public wantsRematch!: boolean;
    @type([ "uint8" ]) public lastDice: ArraySchema<number> = new ArraySchema<number>();
    @type("boolean") public lastDiceBlocked!: boolean;
}

export class Match extends Schema {
    @type("uint32") public version!: number;
    @type("string") public matchId!: string;
    @type("string") public phase!: string;
    @type("uint16") public gameNumber!: number;
    @type("uint8") public matchLength!: number;
    @type([ "uint16" ]) public score: ArraySchema<number> = new ArraySchema<number>();
    @type("boolean") public crawford!: boolean;
    @type("boolean") public postCrawford!: boolean;
    @type("int8") public turn!: number;
    @type("int8") public toAct!: number;
    @type([ "uint8" ]) public checkers0: ArraySchema<number> = new ArraySchema<number>();
    @type([ "uint8" ]) public checkers1: ArraySchema<number> = new ArraySchema<number>();
    @type([ "uint8" ]) public dice: ArraySchema<number> = new ArraySchema<number>();
    @type([ "uint8" ]) public diceLeft: ArraySchema<number> = new ArraySchema<number>();
    @type([ Move ]) public moves: ArraySchema<Move> = new ArraySchema<Move>();
    @type("boolean") public canConfirm!: boolean;
    @type("uint8") public cubeValue!: number;
    @type("int8") public cubeOwner!: number;
    @type("boolean") public doubleOffered!: boolean;
    @type("int8") public resignSeat!: number;
    @type("string") public resignKind!: string;
    @type([ Player ]) public players: ArraySchema<Player> = new ArraySchema<Player>();
    @type("uint16") public spectators!: number;
    @type("string") public diceCommitment!: string;
    @type("int8") public winner!: number;
    @type("string") public lastResult!: string;
    @type("string") public positionId!: string;
    @type("string") public gnubgMatchId!: string;
    @type("number") public clockDelayMs!: number;
    @type("int8") public clockSeat!: number;
    @type("float64") public clockStartedAt!: number;
    @type("uint32") public lastEventSeq!: number;
}
