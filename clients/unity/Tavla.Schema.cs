// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Tavla.Schema {

	public partial class Move : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public Move() { }

		[global::Colyseus.Schema.Type(0, "uint8")]
		public byte from = default(byte);

		[global::Colyseus.Schema.Type(1, "uint8")]
		public byte to = default(byte);

		[global::Colyseus.Schema.Type(2, "boolean")]
		public bool hit = default(bool);
	}

	public partial class Player : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public Player() { }

		[global::Colyseus.Schema.Type(0, "uint8")]
		public byte seat = default(byte);

		[global::Colyseus.Schema.Type(1, "string")]
		public string name = default(string);

		[global::Colyseus.Schema.Type(2, "string")]
		public string colour = default(string);

		[global::Colyseus.Schema.Type(3, "number")]
		public double rating = default(double);

		[global::Colyseus.Schema.Type(4, "boolean")]
		public bool connected = default(bool);

		[global::Colyseus.Schema.Type(5, "boolean")]
		public bool bot = default(bool);

		[global::Colyseus.Schema.Type(6, "number")]
		public double reserveMs = default(double);

		[global::Colyseus.Schema.Type(7, "boolean")]
		public bool wantsRematch = default(bool);

		[global::Colyseus.Schema.Type(8, "array", typeof(global::Colyseus.Schema.ArraySchema<byte>), "uint8")]
		public global::Colyseus.Schema.ArraySchema<byte> lastDice = new global::Colyseus.Schema.ArraySchema<byte>();

		[global::Colyseus.Schema.Type(9, "boolean")]
		public bool lastDiceBlocked = default(bool);
	}

	public partial class Match : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public Match() { }

		[global::Colyseus.Schema.Type(0, "uint32")]
		public uint version = 0;

		[global::Colyseus.Schema.Type(1, "string")]
		public string matchId = default(string);

		[global::Colyseus.Schema.Type(2, "string")]
		public string phase = default(string);

		[global::Colyseus.Schema.Type(3, "uint16")]
		public ushort gameNumber = default(ushort);

		[global::Colyseus.Schema.Type(4, "uint8")]
		public byte matchLength = default(byte);

		[global::Colyseus.Schema.Type(5, "array", typeof(global::Colyseus.Schema.ArraySchema<ushort>), "uint16")]
		public global::Colyseus.Schema.ArraySchema<ushort> score = new global::Colyseus.Schema.ArraySchema<ushort>();

		[global::Colyseus.Schema.Type(6, "boolean")]
		public bool crawford = default(bool);

		[global::Colyseus.Schema.Type(7, "boolean")]
		public bool postCrawford = default(bool);

		[global::Colyseus.Schema.Type(8, "int8")]
		public sbyte turn = default(sbyte);

		[global::Colyseus.Schema.Type(9, "int8")]
		public sbyte toAct = default(sbyte);

		[global::Colyseus.Schema.Type(10, "array", typeof(global::Colyseus.Schema.ArraySchema<byte>), "uint8")]
		public global::Colyseus.Schema.ArraySchema<byte> checkers0 = new global::Colyseus.Schema.ArraySchema<byte>();

		[global::Colyseus.Schema.Type(11, "array", typeof(global::Colyseus.Schema.ArraySchema<byte>), "uint8")]
		public global::Colyseus.Schema.ArraySchema<byte> checkers1 = new global::Colyseus.Schema.ArraySchema<byte>();

		[global::Colyseus.Schema.Type(12, "array", typeof(global::Colyseus.Schema.ArraySchema<byte>), "uint8")]
		public global::Colyseus.Schema.ArraySchema<byte> dice = new global::Colyseus.Schema.ArraySchema<byte>();

		[global::Colyseus.Schema.Type(13, "array", typeof(global::Colyseus.Schema.ArraySchema<byte>), "uint8")]
		public global::Colyseus.Schema.ArraySchema<byte> diceLeft = new global::Colyseus.Schema.ArraySchema<byte>();

		[global::Colyseus.Schema.Type(14, "array", typeof(global::Colyseus.Schema.ArraySchema<Move>))]
		public global::Colyseus.Schema.ArraySchema<Move> moves = new global::Colyseus.Schema.ArraySchema<Move>();

		[global::Colyseus.Schema.Type(15, "boolean")]
		public bool canConfirm = default(bool);

		[global::Colyseus.Schema.Type(16, "uint8")]
		public byte cubeValue = default(byte);

		[global::Colyseus.Schema.Type(17, "int8")]
		public sbyte cubeOwner = default(sbyte);

		[global::Colyseus.Schema.Type(18, "boolean")]
		public bool doubleOffered = default(bool);

		[global::Colyseus.Schema.Type(19, "int8")]
		public sbyte resignSeat = default(sbyte);

		[global::Colyseus.Schema.Type(20, "string")]
		public string resignKind = default(string);

		[global::Colyseus.Schema.Type(21, "array", typeof(global::Colyseus.Schema.ArraySchema<Player>))]
		public global::Colyseus.Schema.ArraySchema<Player> players = new global::Colyseus.Schema.ArraySchema<Player>();

		[global::Colyseus.Schema.Type(22, "uint16")]
		public ushort spectators = default(ushort);

		[global::Colyseus.Schema.Type(23, "string")]
		public string diceCommitment = default(string);

		[global::Colyseus.Schema.Type(24, "int8")]
		public sbyte winner = default(sbyte);

		[global::Colyseus.Schema.Type(25, "string")]
		public string lastResult = default(string);

		[global::Colyseus.Schema.Type(26, "string")]
		public string positionId = default(string);

		[global::Colyseus.Schema.Type(27, "string")]
		public string gnubgMatchId = default(string);

		[global::Colyseus.Schema.Type(28, "number")]
		public double clockDelayMs = default(double);

		[global::Colyseus.Schema.Type(29, "int8")]
		public sbyte clockSeat = default(sbyte);

		[global::Colyseus.Schema.Type(30, "float64")]
		public double clockStartedAt = default(double);

		[global::Colyseus.Schema.Type(31, "uint32")]
		public uint lastEventSeq = default(uint);
	}
}